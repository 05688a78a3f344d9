/**
 * The UI's language: i18next with one catalogue per language (catalogues.ts), chosen from the
 * link's `lang`, else the choice kept in this browser, else the browser's preferred languages,
 * else English. `<html lang>` and the page title follow, so screen readers speak it.
 */
import i18next from "i18next";
import { useEffect } from "react";
import { initReactI18next, useTranslation } from "react-i18next";
import { useAppStore } from "../app-store";
import { OFFERED_UI_LANGUAGES, UI_LANGUAGE_IDS, UI_LANGUAGES, type UiLanguage } from "./catalogues";
import type { CatalogueKey } from "./en";

const KEPT = "mome-ui-language";

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

function keptLanguage(): string | null {
  try {
    return localStorage.getItem(KEPT);
  } catch {
    return null;
  }
}

/** Speaks the chosen language: i18next, `<html lang>` and the title follow; a link's choice is kept. */
export function useUiLanguage(): void {
  const linkLanguage = useAppStore((s) => s.settings.lang);
  useEffect(() => {
    const language = chooseUiLanguage(linkLanguage, keptLanguage(), navigator.languages ?? []);
    void i18next.changeLanguage(language);
    document.documentElement.lang = language;
    document.title = i18next.t("page.title");
    if (linkLanguage !== "")
      try {
        localStorage.setItem(KEPT, language);
      } catch {
        // storage blocked: the choice lasts this visit
      }
  }, [linkLanguage]);
}

/** The catalogue's text for `key` in the language spoken now, with `values` filled in. */
export function useT(): (key: CatalogueKey, values?: Record<string, string | number>) => string {
  const { t } = useTranslation();
  return (key, values) => t(key, values ?? {});
}
