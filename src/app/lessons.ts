/**
 * Guided lessons: steps that tell the paper's story through the app. Each step sets the app up
 * (a tab, settings, an example text) and points at the control to use. The open step is the
 * `lesson` setting (0 = closed), so a link opens a lesson at a given step.
 */
import type { StateCreator } from "zustand";
import { LESSON, type LessonStep } from "./lesson-steps";
import type { Settings } from "./settings";

export { LESSON };

/** The steps, with their settings checked against the settings table. */
const STEPS: readonly (Omit<LessonStep, "settings"> & { settings: Partial<Settings> })[] = LESSON;

/** What the lesson slice needs from the rest of the store. */
interface Host {
  setSetting<K extends keyof Settings>(key: K, value: Settings[K]): void;
  route(text: string): void;
}

export interface LessonSlice {
  /** Opens the lesson at `step` (1-based; 0 closes it) and sets the app up for that step. */
  goToLessonStep(step: number): void;
  closeLesson(): void;
}

export function createLessonSlice(): StateCreator<LessonSlice & Host, [], [], LessonSlice> {
  return (_set, get) => ({
    goToLessonStep(step) {
      if (!Number.isInteger(step) || step < 0 || step > STEPS.length) return;
      const { setSetting, route } = get();
      setSetting("lesson", step);
      if (step === 0) return;
      for (const [key, value] of Object.entries(STEPS[step - 1].settings)) {
        if (key === "text") route(value as string);
        else setSetting(key as keyof Settings, value as never);
      }
    },
    closeLesson() {
      get().setSetting("lesson", 0);
    },
  });
}
