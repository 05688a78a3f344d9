import { MAX_TEXT_BYTES, MIN_TEXT_CHARS } from "../ml/presets";
import { useAppStore } from "./app-store";
import { useNumbers, useT } from "./i18n";

/** Paste or upload a text of one's own (checked: size, encoding, length); shared with Add a language. */
export function CustomText() {
  const t = useT();
  const { number } = useNumbers();
  const custom = useAppStore((s) => s.customText);
  const error = useAppStore((s) => s.customTextError);
  const setCustomText = useAppStore((s) => s.setCustomText);
  const loadCustomFile = useAppStore((s) => s.loadCustomFile);
  return (
    <div className="custom-text">
      <textarea
        aria-label={t("custom.label")}
        rows={4}
        placeholder={t("custom.placeholder", { least: number(MIN_TEXT_CHARS) })}
        onBlur={(e) => e.target.value && setCustomText(t("custom.pasted"), e.target.value)}
      />
      <label>
        {t("custom.upload", { most: MAX_TEXT_BYTES / 2 ** 20 })}
        <input
          type="file"
          accept=".txt,.md,.py,text/*"
          onChange={(e) => e.target.files?.[0] && void loadCustomFile(e.target.files[0])}
        />
      </label>
      {error && <p role="alert">{error}</p>}
      {custom && !error && (
        <p className="note">
          {t("custom.using", {
            name: custom.name,
            count: custom.text.length,
            chars: number(custom.text.length),
          })}
        </p>
      )}
    </div>
  );
}
