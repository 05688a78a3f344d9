/**
 * Every language the UI has a catalogue for: one JSON file per language under locales/, with the
 * same keys as en.json (the source). A new language is one catalogue file (a copy of en.json,
 * translated) and one line here. {{name}} marks a value filled in; keys ending in _one / _other
 * are plurals (i18next picks by count, with Intl's plural rules).
 */
import de from "./locales/de.json";
import en from "./locales/en.json";
import fr from "./locales/fr.json";

export type CatalogueKey = keyof typeof en;
/** A catalogue: the same keys as English, every one translated. */
export type Catalogue = Record<CatalogueKey, string>;
/** What code looks up: a plain key, or a plural's stem (count picks _one or _other). */
export type TextKey =
  | Exclude<CatalogueKey, `${string}_one` | `${string}_other`>
  | (CatalogueKey extends infer K ? (K extends `${infer Stem}_other` ? Stem : never) : never);

/** What fills a text's {{name}}s ("count" also picks a plural). */
export type Values = Record<string, string | number>;
/** Looks a text up in the language spoken now. */
export type Translate = (key: TextKey, values?: Values) => string;

export const UI_LANGUAGES = {
  en: { name: "English", catalogue: en satisfies Catalogue },
  fr: { name: "Français", catalogue: fr satisfies Catalogue },
  de: { name: "Deutsch", catalogue: de satisfies Catalogue },
} as const;

export type UiLanguage = keyof typeof UI_LANGUAGES;
export const UI_LANGUAGE_IDS = Object.keys(UI_LANGUAGES) as UiLanguage[];

/**
 * The languages offered without a link (the menu, the browser's preference). A new language's
 * catalogue can be checked in place with `lang=xx` in a link before it is offered here.
 */
export const OFFERED_UI_LANGUAGES: readonly UiLanguage[] = ["en", "fr", "de"];
