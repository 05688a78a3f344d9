/**
 * The language menu: the UI's languages offered here (i18n/catalogues.ts), kept in the link. In the
 * compact bar (`short`) its label is for screen readers only and the languages show as codes.
 */
import { useAppStore } from "./app-store";
import { useControl } from "./fields";
import { useT } from "./i18n";
import { OFFERED_UI_LANGUAGES, UI_LANGUAGES } from "./i18n/catalogues";

export function LanguageMenu({ short = false }: { short?: boolean }) {
  const t = useT();
  const lang = useAppStore((s) => s.settings.lang);
  const set = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl("lang");
  // Nothing to choose until a second language is offered.
  if (hidden || OFFERED_UI_LANGUAGES.length < 2) return null;
  const current = lang === "" ? document.documentElement.lang : lang;
  return (
    <label className="language-menu">
      <span className={short ? "visually-hidden" : undefined}>{t("header.language")}</span>{" "}
      <select
        value={current}
        disabled={locked}
        onChange={(e) => set("lang", e.target.value as typeof lang)}
      >
        {OFFERED_UI_LANGUAGES.map((id) => (
          <option key={id} value={id} lang={id}>
            {short ? id.toUpperCase() : UI_LANGUAGES[id].name}
          </option>
        ))}
      </select>
    </label>
  );
}
