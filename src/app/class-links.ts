/**
 * Links that set up a class: the teacher's link can lock controls (shown disabled, with a note,
 * and refused by the store) and hide them. The lists live in the link as `lock=` and `hide=`,
 * comma-separated setting names, checked here on the way in.
 */
import type { SettingKey, Settings } from "./settings";

/** The controls a class link can lock or hide, with the names the dialog shows. */
export const CLASS_CONTROLS = {
  panel: "Tabs (the class stays on the link's tab)",
  text: "Text to route",
  explain: "Explain",
  routerKind: "Router lab: classifier",
  routerFeatures: "Router lab: features",
  prompt: "Prompt",
  expert: "Student expert",
  temperature: "Temperature",
  topK: "Top-k",
  seed: "Seed",
  maxTokens: "Tokens",
  corpus: "Training corpus",
  distil: "Teacher (distil or not)",
  size: "Student size",
  alphaMode: "α schedule",
  alpha: "α",
  kdLoss: "KD loss",
  kdTemperature: "KD temperature",
  lossMode: "Loss mode",
  learningRate: "Learning rate",
  steps: "Training steps",
  batch: "Batch",
  add: "Language to add",
  addDistil: "Add a language: distil",
  addSteps: "Add a language: steps",
  forgetSteps: "Forgetting: steps per phase",
  recorded: "Recorded runs",
  lang: "Language",
} satisfies Partial<Record<SettingKey, string>>;
export type ClassControl = keyof typeof CLASS_CONTROLS;

const isClassControl = (name: string): name is ClassControl => Object.hasOwn(CLASS_CONTROLS, name);

/** The controls named in a `lock=` or `hide=` value; unknown names are dropped and listed. */
export function parseControls(
  raw: string,
  setting: "lock" | "hide",
): { controls: ClassControl[]; problems: string[] } {
  const controls: ClassControl[] = [];
  const problems: string[] = [];
  for (const name of raw.split(",").filter(Boolean)) {
    if (isClassControl(name)) {
      if (!controls.includes(name)) controls.push(name);
    } else
      problems.push(`"${setting}" names an unknown control "${name.slice(0, 40)}"; it is ignored`);
  }
  return { controls, problems };
}

export function isLocked(settings: Settings, key: SettingKey): boolean {
  return isClassControl(key) && parseControls(settings.lock, "lock").controls.includes(key);
}

export function isHidden(settings: Settings, key: SettingKey): boolean {
  return isClassControl(key) && parseControls(settings.hide, "hide").controls.includes(key);
}

/** The settings of a link for students: these controls locked and hidden, the seed locked too. */
export function studentSettings(
  settings: Settings,
  lock: ClassControl[],
  hide: ClassControl[],
): Settings {
  const locked = lock.includes("seed") ? lock : [...lock, "seed" as const];
  return { ...settings, lock: locked.join(","), hide: hide.join(","), lesson: 0, present: "0" };
}
