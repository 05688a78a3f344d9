/** The lesson card (lessons.ts): one step at a time, beside the panels, with its control lit. */
import { useEffect } from "react";
import { useAppStore } from "./app-store";
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

export function LessonCard() {
  const stepNumber = useAppStore((s) => s.settings.lesson);
  const goTo = useAppStore((s) => s.goToLessonStep);
  const close = useAppStore((s) => s.closeLesson);
  const step = stepNumber > 0 ? LESSON[stepNumber - 1] : null;
  useHighlight(step?.highlight ?? null);
  if (!step) return null;
  return (
    <aside className="lesson-card" aria-labelledby="lesson-title">
      <p className="lesson-progress">
        Step {stepNumber} of {LESSON.length}
      </p>
      <h2 id="lesson-title">{step.title}</h2>
      <p>{step.text}</p>
      <div className="controls">
        <button type="button" onClick={() => goTo(stepNumber - 1)} disabled={stepNumber === 1}>
          Previous step
        </button>
        <button
          type="button"
          onClick={() => goTo(stepNumber + 1)}
          disabled={stepNumber === LESSON.length}
        >
          Next step
        </button>
        <button type="button" onClick={close}>
          Close lesson
        </button>
      </div>
      <p className="note">The arrow keys ← and → move between steps.</p>
    </aside>
  );
}
