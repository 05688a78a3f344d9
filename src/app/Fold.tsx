/**
 * What a step on the stage doesn't need, folded: in presenter mode (and on phones, for the header)
 * the children sit behind a disclosure; elsewhere they show as they are.
 */
import { type ReactNode, useEffect, useState } from "react";
import { useAppStore } from "./app-store";

/** Folds `children` behind `summary` in presenter mode; shows them as they are otherwise. */
export function Fold({ summary, children }: { summary: string; children: ReactNode }) {
  const present = useAppStore((s) => s.settings.present === "1");
  if (!present) return children;
  return (
    <details className="fold">
      <summary>{summary}</summary>
      <div className="fold-body">{children}</div>
    </details>
  );
}

/** Whether `query` matches now, following changes (window resized, device turned). */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener("change", onChange);
    return () => list.removeEventListener("change", onChange);
  }, [query]);
  return matches;
}

/** The header folds into one bar in presenter mode and on phones. */
export const PHONE = "(max-width: 40rem)";
export function useCompactHeader(): boolean {
  const present = useAppStore((s) => s.settings.present === "1");
  return useMediaQuery(PHONE) || present;
}
