/**
 * The UI's language: i18next with one catalogue per language (catalogues.ts), chosen from the
 * link's `lang`, else the choice kept in this browser, else the browser's preferred languages,
 * else English (ui-language.ts applies the choice).
 */
import i18next from "i18next";
import { initReactI18next, useTranslation } from "react-i18next";
import {
  OFFERED_UI_LANGUAGES,
  type TextKey,
  type Translate,
  UI_LANGUAGE_IDS,
  UI_LANGUAGES,
  type UiLanguage,
  type Values,
} from "./catalogues";

void i18next.use(initReactI18next).init({
  resources: Object.fromEntries(
    Object.entries(UI_LANGUAGES).map(([id, { catalogue }]) => [id, { translation: catalogue }]),
  ),
  lng: "en",
  fallbackLng: "en",
  // Keys are flat ("tab.route"): no nesting, no namespaces.
  keySeparator: false,
  nsSeparator: false,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
  initAsync: false,
});

const isUiLanguage = (id: string | null): id is UiLanguage =>
  id !== null && (UI_LANGUAGE_IDS as readonly string[]).includes(id);

/** The language to speak: the link's, else the one kept here, else the first offered the browser prefers. */
export function chooseUiLanguage(
  linkLanguage: string,
  kept: string | null,
  preferred: readonly string[],
): UiLanguage {
  if (isUiLanguage(linkLanguage)) return linkLanguage;
  if (isUiLanguage(kept) && OFFERED_UI_LANGUAGES.includes(kept)) return kept;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split("-")[0];
    if (isUiLanguage(base) && OFFERED_UI_LANGUAGES.includes(base)) return base;
  }
  return "en";
}

/** The catalogue's text for `key` in the language spoken now (for code outside components). */
export const translate = (key: TextKey, values?: Values): string => i18next.t(key, values ?? {});

/**
 * The catalogue's text for `key` in the language spoken now, with `values` filled in; a component
 * using it renders again when the language changes.
 */
export function useT(): Translate {
  const { t } = useTranslation();
  return (key, values) => t(key, values ?? {});
}

/** A table of catalogue keys (a choice's options), in the language spoken now. */
export function wordsOf<K extends string>(
  t: Translate,
  keys: Record<K, TextKey>,
): Record<K, string> {
  return Object.fromEntries(
    Object.entries(keys).map(([k, key]) => [k, t(key as TextKey)]),
  ) as Record<K, string>;
}

/** Numbers written the language's way: "99,9 %" in French and German, "99.9%" in English. */
export interface NumberFormat {
  /** `share` is a fraction (0.999 → 99.9 %), with `digits` decimals. */
  percent(share: number, digits?: number): string;
  /** A number with exactly `digits` decimals (and the language's grouping). */
  number(value: number, digits?: number): string;
  /** A number with its sign, "+0.125" / "−0,125". */
  signed(value: number, digits?: number): string;
}

/**
 * One Intl formatter per language and style, made on first use: a formatter costs far more to make
 * than to use, and the token evidence formats hundreds of numbers at every keystroke.
 */
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(
  language: string,
  digits: number,
  style: "decimal" | "percent" | "signed",
): Intl.NumberFormat {
  const key = `${language}|${style}|${digits}`;
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.NumberFormat(language, {
      style: style === "percent" ? "percent" : "decimal",
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      signDisplay: style === "signed" ? "always" : "auto",
    });
    formatters.set(key, made);
  }
  return made;
}

export function numberFormat(language: string): NumberFormat {
  return {
    percent: (share, digits = 1) => formatter(language, digits, "percent").format(share),
    number: (value, digits = 0) => formatter(language, digits, "decimal").format(value),
    signed: (value, digits = 3) => formatter(language, digits, "signed").format(value),
  };
}

/** Number formats for the language spoken now; the component renders again when it changes. */
export function useNumbers(): NumberFormat {
  const { i18n } = useTranslation();
  return numberFormat(i18n.language);
}
