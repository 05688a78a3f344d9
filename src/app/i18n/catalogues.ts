/**
 * Every language the UI has a catalogue for. A new language is one catalogue file (a copy of
 * en.ts, translated) and one line here.
 */
import { de } from "./de";
import { type Catalogue, en } from "./en";
import { fr } from "./fr";

export const UI_LANGUAGES = {
  en: { name: "English", catalogue: en },
  fr: { name: "Français", catalogue: fr },
  de: { name: "Deutsch", catalogue: de },
} satisfies Record<string, { name: string; catalogue: Catalogue }>;

export type UiLanguage = keyof typeof UI_LANGUAGES;
export const UI_LANGUAGE_IDS = Object.keys(UI_LANGUAGES) as UiLanguage[];

/**
 * The languages offered without a link (the menu, the browser's preference): English alone until
 * every string the UI shows goes through the catalogues (issue 39); `lang=fr` or `lang=de` in a
 * link opens the others meanwhile, for translators to check their catalogue in place.
 */
export const OFFERED_UI_LANGUAGES: readonly UiLanguage[] = ["en"];
