/**
 * The lesson card (lessons.ts): one step at a time, beside the panels, with its control lit. On
 * the stage (presenter mode) it is a strip below the step or a column beside it, its text folded
 * or not; the choice is kept in this browser.
 */
import { useEffect, useState } from "react";
import { useAppStore } from "./app-store";
import { useT } from "./i18n";
import { LESSON } from "./lessons";

/** Marks the step's control (it may appear a moment after the tab opens) and brings it into view. */
function useHighlight(selector: string | null): void {
  useEffect(() => {
    if (!selector) return;
    let element: Element | null = null;
    let tries = 0;
    const find = () => {
      element = document.querySelector(selector);
      if (element) {
        element.classList.add("lesson-highlight");
        element.scrollIntoView({ block: "nearest" });
      } else if (tries++ < 40) timer = setTimeout(find, 250);
    };
    let timer = setTimeout(find, 0);
    return () => {
      clearTimeout(timer);
      element?.classList.remove("lesson-highlight");
    };
  }, [selector]);
}

/** How the stage shows the card: below the step or beside it, with its text or folded. */
interface CardLayout {
  dock: "below" | "side";
  text: boolean;
}
const CARD_LAYOUT = "mome-lesson-card";

function savedLayout(): CardLayout {
  try {
    const saved = JSON.parse(localStorage.getItem(CARD_LAYOUT) ?? "null") as CardLayout | null;
    if (
      saved &&
      (saved.dock === "below" || saved.dock === "side") &&
      typeof saved.text === "boolean"
    )
      return saved;
  } catch {
    // a damaged entry: the defaults
  }
  // A wide screen starts with the card beside the step, a short one (a 720-line projector) with
  // its text folded, so that the step fits.
  return { dock: innerWidth >= 1200 ? "side" : "below", text: innerHeight >= 900 };
}

/** The card's layout on the stage, kept in this browser; it sets the page's data-lesson-dock. */
function useCardLayout(): [CardLayout, (change: Partial<CardLayout>) => void] {
  const [layout, setLayout] = useState(savedLayout);
  useEffect(() => {
    document.documentElement.dataset.lessonDock = layout.dock;
  }, [layout.dock]);
  const change = (partial: Partial<CardLayout>) => {
    const next = { ...layout, ...partial };
    setLayout(next);
    try {
      localStorage.setItem(CARD_LAYOUT, JSON.stringify(next));
    } catch {
      // storage blocked: the choice lasts this visit
    }
  };
  return [layout, change];
}

export function LessonCard() {
  const t = useT();
  const stepNumber = useAppStore((s) => s.settings.lesson);
  const goTo = useAppStore((s) => s.goToLessonStep);
  const close = useAppStore((s) => s.closeLesson);
  const present = useAppStore((s) => s.settings.present === "1");
  const [layout, changeLayout] = useCardLayout();
  const step = stepNumber > 0 ? LESSON[stepNumber - 1] : null;
  useHighlight(step?.highlight ?? null);
  if (!step) return null;
  const showText = !present || layout.text;
  return (
    <aside className="lesson-card" aria-labelledby="lesson-title">
      <p className="lesson-progress">
        {t("lesson.progress", { step: stepNumber, total: LESSON.length })}
      </p>
      <h2 id="lesson-title">{t(step.title)}</h2>
      {showText && <p className="lesson-text">{t(step.text)}</p>}
      <div className="controls">
        <button type="button" onClick={() => goTo(stepNumber - 1)} disabled={stepNumber === 1}>
          {t("lesson.previous")}
        </button>
        <button
          type="button"
          onClick={() => goTo(stepNumber + 1)}
          disabled={stepNumber === LESSON.length}
        >
          {t("lesson.next")}
        </button>
        <button type="button" onClick={close}>
          {t("lesson.close")}
        </button>
        {present && (
          <>
            <button type="button" onClick={() => changeLayout({ text: !layout.text })}>
              {layout.text ? t("lesson.foldText") : t("lesson.showText")}
            </button>
            <button
              type="button"
              onClick={() => changeLayout({ dock: layout.dock === "below" ? "side" : "below" })}
            >
              {layout.dock === "below" ? t("lesson.toSide") : t("lesson.below")}
            </button>
          </>
        )}
      </div>
      {!present && <p className="note">{t("lesson.keys")}</p>}
    </aside>
  );
}
