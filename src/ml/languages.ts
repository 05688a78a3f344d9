/**
 * The teacher's languages, in one place: their ids, names, colours, how their text is laid out, and
 * the experts that take them. App, workers, CLI and scripts all read them from here.
 */

/** The teacher's four languages: the corpora, the experts and the paper's router classes. */
export const LANGUAGES = ["en", "fr", "de", "py"] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  fr: "French",
  de: "German",
  py: "Python",
};

/** Each language's colour, shared by the charts and the stylesheet (as --lang-*). */
export const LANGUAGE_COLOURS: Record<Language, string> = {
  en: "#2563eb",
  fr: "#dc2626",
  de: "#ca8a04",
  py: "#7c3aed",
};

/** How a language's text is laid out: prose paragraphs as documents, or code as one. */
export type Layout = "prose" | "code";
export const LANGUAGE_LAYOUTS = {
  en: "prose",
  fr: "prose",
  de: "prose",
  py: "code",
} as const satisfies Record<Language, Layout>;

/** The natural languages among the four. */
export type ProseLanguage = {
  [L in Language]: (typeof LANGUAGE_LAYOUTS)[L] extends "prose" ? L : never;
}[Language];
export const PROSE_LANGUAGES = LANGUAGES.filter(
  (l): l is ProseLanguage => LANGUAGE_LAYOUTS[l] === "prose",
);

/** The id of the expert trained on all four languages, which takes texts of none of them. */
export const COMMON = "common";

/** The model name of a language's expert (or the common one's): expert-en, expert-common. */
export function expertName(id: string): string {
  return `expert-${id}`;
}

/** The expert that takes texts of none of the router's classes. */
export const COMMON_EXPERT = expertName(COMMON);
