/** The lessons: short steps whose settings the settings table accepts, applied by the store. */
import { describe, expect, it } from "vitest";
import { createStore } from "zustand";
import type { AppState } from "../src/app/app-store";
import { UI_LANGUAGES } from "../src/app/i18n/catalogues";
import { createLessonSlice, LESSON, type LessonSlice } from "../src/app/lessons";
import {
  defaultSettings,
  parseSettings,
  type Settings,
  serializeSettings,
} from "../src/app/settings";

function lessonStore() {
  const routed: string[] = [];
  const store = createStore<LessonSlice & Pick<AppState, "settings" | "setSetting" | "route">>()(
    (set, get, api) => ({
      settings: defaultSettings(),
      setSetting(key, value) {
        set({ settings: { ...get().settings, [key]: value } });
      },
      route(text: string) {
        routed.push(text);
        get().setSetting("text", text);
      },
      ...createLessonSlice()(set as never, get as never, api as never),
    }),
  );
  return { store, routed };
}

describe("lessons", () => {
  it("has 6–9 steps of at most 80 words, each with settings a link may carry", () => {
    expect(LESSON.length).toBeGreaterThanOrEqual(6);
    expect(LESSON.length).toBeLessThanOrEqual(9);
    for (const step of LESSON) {
      for (const [language, { catalogue }] of Object.entries(UI_LANGUAGES))
        expect(
          catalogue[step.text].split(/\s+/).length,
          `${step.id} (${language})`,
        ).toBeLessThanOrEqual(80);
      const settings = { ...defaultSettings(), ...step.settings } as Settings;
      expect(parseSettings(serializeSettings(settings)).problems, step.id).toEqual([]);
    }
  });

  it("sets the app up for a step, moves between steps and closes, refusing steps that don't exist", () => {
    const { store, routed } = lessonStore();
    store.getState().goToLessonStep(2);
    expect(store.getState().settings).toMatchObject({ lesson: 2, panel: "route" });
    expect(routed).toEqual([LESSON[1].settings.text]);
    store.getState().goToLessonStep(4);
    expect(store.getState().settings).toMatchObject({ lesson: 4, panel: "train" });
    expect(store.getState().settings.race).toBe(LESSON[3].settings.race);
    store.getState().goToLessonStep(LESSON.length + 1);
    store.getState().goToLessonStep(1.5);
    expect(store.getState().settings.lesson).toBe(4);
    store.getState().closeLesson();
    expect(store.getState().settings.lesson).toBe(0);
    expect(parseSettings(`?lesson=${LESSON.length + 1}`).problems).toHaveLength(1);
  });
});
