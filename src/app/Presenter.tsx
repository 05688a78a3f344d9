/**
 * Presenter mode (present=1: large type, high contrast, details hidden), full screen, and the
 * keyboard shortcuts, listed in a dialog opened with "?".
 */
import { useEffect } from "react";
import { useAppStore, useAppStoreApi } from "./app-store";
import { useMediaQuery } from "./Fold";
import type { TextKey } from "./i18n/catalogues";
import { LESSON } from "./lessons";

export const SHORTCUTS: [keys: TextKey, what: TextKey][] = [
  ["keys.arrows", "shortcut.steps"],
  ["keys.space", "shortcut.training"],
  ["keys.g", "shortcut.generate"],
  ["keys.question", "shortcut.list"],
  ["keys.esc", "shortcut.close"],
];

/**
 * Charts on the stage are sized to the screen: shorter than usual on a 720-line projector (the step
 * must fit beside its controls), taller on a 1080-line one; elsewhere as usual.
 */
export function useChartHeight(base: number): number {
  const present = useAppStore((s) => s.settings.present === "1");
  const tall = useMediaQuery("(min-height: 1000px)");
  if (!present) return base;
  return Math.round(base * (tall ? 1.4 : 0.8));
}

/** Keys typed into a field, or pressed on a control that uses them, are not shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.closest("input, textarea, select, [contenteditable], [role=tablist]") !== null
  );
}

function onButtonOrLink(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("button, a, summary") !== null;
}

/** The app's keyboard shortcuts; `openHelp` shows the list. */
export function useShortcuts(openHelp: () => void): void {
  const store = useAppStoreApi();
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      const state = store.getState();
      const step = state.settings.lesson;
      if (e.key === "?") openHelp();
      else if (e.key === "ArrowRight" && step > 0 && step < LESSON.length)
        state.goToLessonStep(step + 1);
      else if (e.key === "ArrowLeft" && step > 1) state.goToLessonStep(step - 1);
      else if (e.key === " " && !onButtonOrLink(e.target)) {
        const running = state.runs.find((r) => r.state === "running" || r.state === "paused");
        if (running?.state === "running") state.pauseTraining();
        else if (running?.state === "paused") state.resumeTraining();
        else {
          state.setSetting("panel", "train");
          void state.startTraining();
        }
      } else if (e.key === "g" || e.key === "G") {
        state.setSetting("panel", "compare");
        void state.generate();
      } else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [openHelp, store]);
}

/** Keeps the page's presenter class in step with the setting. */
export function usePresenterClass(): void {
  const present = useAppStore((s) => s.settings.present === "1");
  useEffect(() => {
    document.documentElement.classList.toggle("presenter", present);
  }, [present]);
}
