/** The language menu: the UI's languages offered here (i18n/catalogues.ts), kept in the link. */
import { useAppStore } from "./app-store";
import { useControl } from "./fields";
import { useT } from "./i18n";
import { OFFERED_UI_LANGUAGES, UI_LANGUAGES } from "./i18n/catalogues";

export function LanguageMenu() {
  const t = useT();
  const lang = useAppStore((s) => s.settings.lang);
  const set = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl("lang");
  // Nothing to choose until a second language is offered.
  if (hidden || OFFERED_UI_LANGUAGES.length < 2) return null;
  const current = lang === "" ? document.documentElement.lang : lang;
  return (
    <label className="language-menu">
      {t("header.language")}{" "}
      <select
        value={current}
        disabled={locked}
        onChange={(e) => set("lang", e.target.value as typeof lang)}
      >
        {OFFERED_UI_LANGUAGES.map((id) => (
          <option key={id} value={id} lang={id}>
            {UI_LANGUAGES[id].name}
          </option>
        ))}
      </select>
    </label>
  );
}
