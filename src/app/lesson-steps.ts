/**
 * The guided lessons' steps: what each says, the settings it applies and the control it points
 * at. Data only, so that the settings table can count them (lessons.ts applies them); the words
 * are the catalogues' (lesson.<step>.title / .text), so each language may word a step its own way.
 */
import type { TextKey } from "./i18n/catalogues";
import { EXAMPLES } from "./languages";

export interface LessonStep {
  /** Names the step in code (scripts/recorded.ts finds the races it records by id). */
  id: string;
  title: TextKey;
  /** At most 80 words in every language (checked by a test). */
  text: TextKey;
  /** Settings the step applies (lessons.ts checks them against the settings table). */
  settings: Readonly<Record<string, string | number>>;
  /** A CSS selector of the control the step is about (highlighted). */
  highlight: string;
}

export const LESSON = [
  {
    id: "one-teacher",
    title: "lesson.oneTeacher.title",
    text: "lesson.oneTeacher.text",
    settings: { panel: "about" },
    highlight: ".model-diagram",
  },
  {
    id: "router",
    title: "lesson.router.title",
    text: "lesson.router.text",
    settings: { panel: "route", text: EXAMPLES.fr },
    highlight: '[data-lesson="route-text"]',
  },
  {
    id: "side-by-side",
    title: "lesson.sideBySide.title",
    text: "lesson.sideBySide.text",
    settings: { panel: "compare", prompt: "Pour insérer un tableau, " },
    highlight: '[data-lesson="generate"]',
  },
  {
    id: "teacher-helps",
    title: "lesson.teacherHelps.title",
    text: "lesson.teacherHelps.text",
    settings: { panel: "train", race: "distil=off;distil=on", recorded: "on" },
    highlight: '[data-lesson="race"]',
  },
  {
    id: "alpha-race",
    title: "lesson.alphaRace.title",
    text: "lesson.alphaRace.text",
    settings: { panel: "train", race: "alphaMode=fixed;alphaMode=adaptive", recorded: "on" },
    highlight: '[data-lesson="race"]',
  },
  {
    id: "kd-loss",
    title: "lesson.kdLoss.title",
    text: "lesson.kdLoss.text",
    settings: { panel: "train", kdLoss: "forward" },
    highlight: '[data-setting="kdLoss"]',
  },
  {
    id: "forgetting",
    title: "lesson.forgetting.title",
    text: "lesson.forgetting.text",
    settings: { panel: "forget", recorded: "on" },
    highlight: '[data-lesson="forget-run"]',
  },
  {
    id: "add-language",
    title: "lesson.addLanguage.title",
    text: "lesson.addLanguage.text",
    settings: { panel: "add", add: "es" },
    highlight: '[data-lesson="add-language"]',
  },
  {
    id: "found",
    title: "lesson.found.title",
    text: "lesson.found.text",
    settings: { panel: "about" },
    highlight: '[data-lesson="scores"]',
  },
] as const satisfies readonly LessonStep[];
