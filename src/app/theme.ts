/**
 * The theme (system, light or dark), kept in this browser, and the colours the stylesheet shares
 * with the charts: the language colours live in languages.ts and reach CSS as --lang-* properties.
 */
import { LANGUAGE_COLOURS } from "./languages";

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];
const STORAGE_KEY = "mome-theme";

export function savedTheme(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return THEMES.includes(value as Theme) ? (value as Theme) : "system";
  } catch {
    return "system"; // storage blocked: follow the system
  }
}

/** Applies `theme` to the page (data-theme on <html>) and keeps it for the next visit. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === "system") root.removeAttribute("data-theme");
  else root.dataset.theme = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Not kept: the page still shows it.
  }
}

/** Sets --lang-en, --lang-fr… from LANGUAGE_COLOURS, so the stylesheet uses the charts' colours. */
export function applyLanguageColours(): void {
  for (const [id, colour] of Object.entries(LANGUAGE_COLOURS))
    document.documentElement.style.setProperty(`--lang-${id}`, colour);
}
