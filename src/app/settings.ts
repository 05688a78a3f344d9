/**
 * Every shareable setting in one typed table. Settings serialise to the URL query (only values that
 * differ from the defaults) and every value is validated on the way in: a bad or hostile link
 * falls back to the defaults for the values it gets wrong and says which ones.
 */

interface EnumField<T extends string> {
  kind: "enum";
  values: readonly T[];
  default: T;
}
interface NumberField {
  kind: "number";
  min: number;
  max: number;
  integer: boolean;
  default: number;
}
interface TextField {
  kind: "text";
  maxLength: number;
  default: string;
}
type Field = EnumField<string> | NumberField | TextField;

const oneOf = <T extends string>(values: readonly T[], fallback: T): EnumField<T> => ({
  kind: "enum",
  values,
  default: fallback,
});
const number = (min: number, max: number, fallback: number): NumberField => ({
  kind: "number",
  min,
  max,
  integer: false,
  default: fallback,
});
const integer = (min: number, max: number, fallback: number): NumberField => ({
  kind: "number",
  min,
  max,
  integer: true,
  default: fallback,
});
const text = (maxLength: number, fallback: string): TextField => ({
  kind: "text",
  maxLength,
  default: fallback,
});

// The default import: lz-string is CommonJS, which Node (the CLI) reads only this way.
import i18next from "i18next";
import LZString from "lz-string";
import { BACKENDS } from "../ml/backend-names";
import { ALPHA_KINDS, KD_LOSSES, LOSS_MODES } from "../ml/kd-options";
import { LANGUAGES } from "../ml/languages";
import {
  ADD_LANGUAGE,
  BROWSER_TRAIN,
  FORGETTING_LESSON,
  STUDENT_PRESETS,
  type StudentPreset,
} from "../ml/presets";
import { CLASSIFIERS, FEATURE_SETS } from "../ml/router";
import { type TextKey, type Translate, UI_LANGUAGE_IDS } from "./i18n/catalogues";
import { type Message, message } from "./i18n/message";
import { LESSON } from "./lesson-steps";

/** The tabs, in order: each is a folder under tabs/ (tabs/registry.ts finds it by this id). */
export const PANELS = ["route", "compare", "train", "forget", "add", "about"] as const;
export type Panel = (typeof PANELS)[number];
const STUDENT_SIZES = Object.keys(STUDENT_PRESETS) as StudentPreset[];

export const SETTINGS = {
  panel: oneOf(PANELS, "route"),
  /** The open lesson step (1-based; 0 = no lesson open): lessons.ts. */
  lesson: integer(0, LESSON.length, 0),
  /** Presenter mode: large type, high contrast, fewer details (present=1). */
  present: oneOf(["0", "1"] as const, "0"),
  /** The UI's language; empty: the one kept in this browser, else the browser's (i18n/index.ts). */
  lang: oneOf(["", ...UI_LANGUAGE_IDS], ""),
  backend: oneOf(["auto", ...BACKENDS] as const, "auto"),
  // Routing
  text: text(5000, ""),
  /** The Router lab's classifier and features. */
  routerKind: oneOf(CLASSIFIERS, "logreg"),
  routerFeatures: oneOf(FEATURE_SETS, "tokens+chars"),
  /** The Routing panel lists the strongest features of its decision. */
  explain: oneOf(["off", "on"] as const, "off"),
  // Teacher vs student
  prompt: text(1000, ""),
  expert: oneOf(["routed", ...LANGUAGES, "common", "added", "mine"] as const, "routed"),
  temperature: number(0, 2, 0.8),
  topK: integer(0, 500, 40),
  seed: integer(0, 2_147_483_647, 1),
  maxTokens: integer(1, 256, 64),
  // Training
  corpus: oneOf([...LANGUAGES, "custom"] as const, "fr"),
  distil: oneOf(["on", "off"] as const, "on"),
  size: oneOf(STUDENT_SIZES, "small"),
  alphaMode: oneOf(ALPHA_KINDS, "adaptive"),
  alpha: number(0, 1, 0.5),
  kdLoss: oneOf(KD_LOSSES, "forward"),
  kdTemperature: number(0.5, 10, 2),
  lossMode: oneOf(LOSS_MODES, "combined"),
  learningRate: number(1e-5, 0.1, 3e-3),
  steps: integer(2, 5000, BROWSER_TRAIN.defaultSteps),
  /** Sequences per training step (of BROWSER_TRAIN.seqLen tokens each). */
  batch: integer(1, 32, BROWSER_TRAIN.batchSize),
  // Add a language
  /** The bundled language to add (a link with add=es opens it ready to build, with panel=add). */
  add: oneOf(["es", "it", "custom"] as const, "es"),
  /** The name of a language added from the user's own text. */
  addName: text(40, ""),
  addDistil: oneOf(["on", "off"] as const, "on"),
  /** Steps of the new expert and of the shared model's fine-tuning (a link can shrink them). */
  addSteps: integer(2, 2000, ADD_LANGUAGE.steps),
  // Forgetting
  /** Steps per phase of the forgetting run (lesson size by default; a link can shrink it). */
  forgetSteps: integer(2, 500, FORGETTING_LESSON.stepsPerPhase),
  /** Draw the lessons' recorded runs (recorded.ts) as dashed lines on the Train and Forgetting charts. */
  recorded: oneOf(["off", "on"] as const, "off"),
  /** Race lanes (race.ts): "key=value,…;key=value,…". */
  race: text(800, ""),
  // A class link (class-links.ts): controls it locks and hides, comma-separated setting names.
  lock: text(600, ""),
  hide: text(600, ""),
} satisfies Record<string, Field>;

type Table = typeof SETTINGS;
export type Settings = {
  -readonly [K in keyof Table]: Table[K] extends EnumField<infer T>
    ? T
    : Table[K] extends NumberField
      ? number
      : string;
};
export type SettingKey = keyof Settings;

export function defaultSettings(): Settings {
  return Object.fromEntries(Object.entries(SETTINGS).map(([k, f]) => [k, f.default])) as Settings;
}

/** A text's length in characters: code points, so an emoji counts one (two UTF-16 units). */
export const charCount = (text: string): number => [...text].length;

/** The first `max` characters of `text`, never half an emoji. */
export const firstChars = (text: string, max: number): string =>
  text.length <= max ? text : [...text].slice(0, max).join("");

/** The value of one field from its URL (or typed) form, or an explanation of why it is refused. */
export function parseValue(
  field: Field,
  raw: string,
): { value: string | number } | { problem: Message } {
  switch (field.kind) {
    case "enum":
      return field.values.includes(raw)
        ? { value: raw }
        : { problem: message("problem.oneOf", { values: field.values.join(", ") }) };
    case "number": {
      // Plain decimal or scientific notation only: no hex, no "Infinity", no empty string.
      if (!/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(raw))
        return { problem: message("problem.notNumber") };
      const n = Number(raw);
      if (!Number.isFinite(n)) return { problem: message("problem.notFinite") };
      if (field.integer && !Number.isInteger(n)) return { problem: message("problem.whole") };
      if (n < field.min || n > field.max)
        return { problem: message("problem.between", { min: field.min, max: field.max }) };
      return { value: n === 0 ? 0 : n }; // "-0" is 0
    }
    case "text":
      return charCount(raw) <= field.maxLength
        ? { value: raw }
        : { problem: message("problem.tooLong", { max: field.maxLength }) };
  }
}

/**
 * Links are sized by their bytes, not characters: a query longer than this is sent compressed
 * (lz-string) as `z=…`, and a link longer than MAX_LINK_BYTES is too long for many hosts.
 */
export const COMPRESS_ABOVE_BYTES = 1500;
export const MAX_LINK_BYTES = 8000;

/** The query's settings, from `z=` (a compressed query) when the link has one. */
export function linkParams(search: string): { params: URLSearchParams; problems: Message[] } {
  const params = new URLSearchParams(search);
  const packed = params.get("z");
  if (packed === null) return { params, problems: [] };
  let query: string | null = null;
  try {
    query = LZString.decompressFromEncodedURIComponent(packed);
  } catch {
    // lz-string throws on some damaged input (e.g. "y") instead of returning null.
  }
  if (!query)
    return {
      params: new URLSearchParams(),
      problems: [message("link.badZ")],
    };
  const inner = new URLSearchParams(query);
  inner.delete("z");
  return { params: inner, problems: [] };
}

/** Settings from a query string; unknown or invalid values fall back to defaults and are listed. */
export function parseSettings(search: string): { settings: Settings; problems: Message[] } {
  const settings = defaultSettings();
  const { params, problems } = linkParams(search);
  const seen = new Set<string>();
  for (const [key, raw] of params) {
    if (!Object.hasOwn(SETTINGS, key)) {
      problems.push(message("link.unknown", { key: key.slice(0, 40) }));
      continue;
    }
    if (seen.has(key)) {
      problems.push(message("link.twice", { key }));
      continue;
    }
    seen.add(key);
    const result = parseValue(SETTINGS[key as SettingKey], raw);
    if ("problem" in result)
      problems.push(message("link.badValue", { key, problem: result.problem }));
    else (settings as Record<string, string | number>)[key] = result.value;
  }
  return { settings, problems };
}

/** The query string for `settings` (only values that differ from the defaults), with "?" or empty. */
export function serializeSettings(settings: Settings): string {
  const params = new URLSearchParams();
  for (const [key, field] of Object.entries(SETTINGS)) {
    const value = settings[key as SettingKey];
    if (value !== field.default) params.set(key, String(value));
  }
  const query = params.toString();
  if (query.length <= COMPRESS_ABOVE_BYTES) return query ? `?${query}` : "";
  return `?z=${LZString.compressToEncodedURIComponent(query)}`;
}

/** Free texts a link leaves out when it would be longer than MAX_LINK_BYTES with them. */
export const LONG_TEXTS = ["text", "prompt"] as const;
export type LongTextKey = (typeof LONG_TEXTS)[number];

/**
 * The link to `settings` at `base` (origin and path), never longer than MAX_LINK_BYTES: when it
 * would be, the free texts stay out of it (the longest first) and `leftOut` names them.
 */
export function settingsLink(
  base: string,
  settings: Settings,
): { url: string; leftOut: LongTextKey[] } {
  const shown = { ...settings };
  const leftOut: LongTextKey[] = [];
  const bytes = (key: LongTextKey) => new TextEncoder().encode(settings[key]).length;
  const longestFirst = [...LONG_TEXTS].sort((a, b) => bytes(b) - bytes(a));
  let url = `${base}${serializeSettings(shown)}`;
  for (const key of longestFirst) {
    if (!linkSize(url).tooLong) break;
    if (shown[key] === SETTINGS[key].default) continue;
    shown[key] = SETTINGS[key].default;
    leftOut.push(key);
    url = `${base}${serializeSettings(shown)}`;
  }
  return { url, leftOut };
}

const LONG_TEXT_NAMES: Record<LongTextKey, TextKey> = {
  text: "link.leftOut.text",
  prompt: "link.leftOut.prompt",
};

/** The sentence that says which texts a link leaves out, or null if it carries them all. */
export function leftOutOfLink(keys: readonly LongTextKey[], t: Translate): string | null {
  if (keys.length === 0) return null;
  const names = keys.map((key) => t(LONG_TEXT_NAMES[key]));
  return t("link.leftOut", {
    names: new Intl.ListFormat(i18next.language, { type: "conjunction" }).format(names),
    kB: MAX_LINK_BYTES / 1000,
  });
}

/** How many bytes a link with this query takes, and whether hosts commonly accept it. */
export function linkSize(url: string): { bytes: number; tooLong: boolean } {
  const bytes = new TextEncoder().encode(url).length;
  return { bytes, tooLong: bytes > MAX_LINK_BYTES };
}
