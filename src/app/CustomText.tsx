import { useAppStore } from "./app-store";

/** Paste or upload a text of one's own (checked: size, encoding, length); shared with Add a language. */
export function CustomText() {
  const custom = useAppStore((s) => s.customText);
  const error = useAppStore((s) => s.customTextError);
  const setCustomText = useAppStore((s) => s.setCustomText);
  const loadCustomFile = useAppStore((s) => s.loadCustomFile);
  return (
    <div className="custom-text">
      <textarea
        aria-label="Your training text"
        rows={4}
        placeholder="Paste at least 1000 characters of text…"
        onBlur={(e) => e.target.value && setCustomText("pasted text", e.target.value)}
      />
      <label>
        or upload a text file (up to 5 MB)
        <input
          type="file"
          accept=".txt,.md,.py,text/*"
          onChange={(e) => e.target.files?.[0] && void loadCustomFile(e.target.files[0])}
        />
      </label>
      {error && <p role="alert">{error}</p>}
      {custom && !error && (
        <p className="note">
          Using {custom.name} ({custom.text.length.toLocaleString()} characters).
        </p>
      )}
    </div>
  );
}
