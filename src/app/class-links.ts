/**
 * Links that set up a class: the teacher's link can lock controls (shown disabled, with a note,
 * and refused by the store) and hide them. The lists live in the link as `lock=` and `hide=`,
 * comma-separated setting names, checked here on the way in.
 */
import type { TextKey } from "./i18n/catalogues";
import { type Message, message } from "./i18n/message";
import type { SettingKey, Settings } from "./settings";

/** The controls a class link can lock or hide, with the names the dialog shows (catalogue keys). */
export const CLASS_CONTROLS = {
  panel: "control.panel",
  text: "control.text",
  explain: "control.explain",
  routerKind: "control.routerKind",
  routerFeatures: "control.routerFeatures",
  prompt: "control.prompt",
  expert: "control.expert",
  temperature: "control.temperature",
  topK: "control.topK",
  seed: "control.seed",
  maxTokens: "control.maxTokens",
  corpus: "control.corpus",
  distil: "control.distil",
  size: "control.size",
  alphaMode: "control.alphaMode",
  alpha: "control.alpha",
  kdLoss: "control.kdLoss",
  kdTemperature: "control.kdTemperature",
  lossMode: "control.lossMode",
  learningRate: "control.learningRate",
  steps: "control.steps",
  batch: "control.batch",
  add: "control.add",
  addDistil: "control.addDistil",
  addSteps: "control.addSteps",
  forgetSteps: "control.forgetSteps",
  recorded: "control.recorded",
  lang: "control.lang",
} satisfies Partial<Record<SettingKey, TextKey>>;
export type ClassControl = keyof typeof CLASS_CONTROLS;

const isClassControl = (name: string): name is ClassControl => Object.hasOwn(CLASS_CONTROLS, name);

/** The controls named in a `lock=` or `hide=` value; unknown names are dropped and listed. */
export function parseControls(
  raw: string,
  setting: "lock" | "hide",
): { controls: ClassControl[]; problems: Message[] } {
  const controls: ClassControl[] = [];
  const problems: Message[] = [];
  for (const name of raw.split(",").filter(Boolean)) {
    if (isClassControl(name)) {
      if (!controls.includes(name)) controls.push(name);
    } else problems.push(message("link.unknownControl", { setting, name: name.slice(0, 40) }));
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
