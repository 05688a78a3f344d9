/**
 * Applies the UI's language: the link's `lang`, else the one kept in this browser, else the
 * browser's preferred languages (chooseUiLanguage). `<html lang>` and the page title follow, so
 * screen readers speak it; a link's choice is kept.
 */
import i18next from "i18next";
import { useEffect } from "react";
import { useAppStore } from "../app-store";
import { chooseUiLanguage } from ".";

const KEPT = "mome-ui-language";

function keptLanguage(): string | null {
  try {
    return localStorage.getItem(KEPT);
  } catch {
    return null;
  }
}

/** Speaks the language a link asks for, else the one chosen before: i18next, `<html lang>` and the title. */
export function applyUiLanguage(linkLanguage: string): void {
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
}

/** Follows the link's `lang` setting (the menu changes it). */
export function useUiLanguage(): void {
  const linkLanguage = useAppStore((s) => s.settings.lang);
  useEffect(() => applyUiLanguage(linkLanguage), [linkLanguage]);
}
