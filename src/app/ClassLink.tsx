/**
 * "Copy link for students": the teacher picks controls to lock and to hide; the link carries the
 * current settings, those lists and a locked seed, so every student sees the same run.
 */
import { useRef, useState } from "react";
import { useAppStore } from "./app-store";
import { CLASS_CONTROLS, type ClassControl, parseControls, studentSettings } from "./class-links";
import { useT } from "./i18n";
import type { TextKey } from "./i18n/catalogues";
import { QrCode } from "./QrCode";
import { leftOutOfLink, settingsLink } from "./settings";

const CONTROLS = Object.entries(CLASS_CONTROLS) as [ClassControl, TextKey][];

export function StudentLinkDialog() {
  const t = useT();
  const settings = useAppStore((s) => s.settings);
  const dialog = useRef<HTMLDialogElement>(null);
  // A teacher's own link may already lock or hide some: start from those.
  const [lock, setLock] = useState(() => parseControls(settings.lock, "lock").controls);
  const [hide, setHide] = useState(() => parseControls(settings.hide, "hide").controls);
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const { url: link, leftOut } = settingsLink(
    `${location.origin}${location.pathname}`,
    studentSettings(settings, lock, hide),
  );
  const toggle = (list: ClassControl[], set: (l: ClassControl[]) => void, c: ClassControl) => {
    set(list.includes(c) ? list.filter((x) => x !== c) : [...list, c]);
    setCopied("idle");
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()}>
        {t("classLink.open")}
      </button>
      <dialog ref={dialog} aria-labelledby="student-link-title" className="dialog student-link">
        <h2 id="student-link-title">{t("classLink.title")}</h2>
        <p>{t("classLink.intro")}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("classLink.control")}</th>
              <th scope="col">{t("classLink.lock")}</th>
              <th scope="col">{t("classLink.hide")}</th>
            </tr>
          </thead>
          <tbody>
            {CONTROLS.map(([control, nameKey]) => (
              <tr key={control}>
                <th scope="row">{t(nameKey)}</th>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t("classLink.lockOne", { name: t(nameKey) })}
                    checked={lock.includes(control) || control === "seed"}
                    disabled={control === "seed"}
                    onChange={() => toggle(lock, setLock, control)}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t("classLink.hideOne", { name: t(nameKey) })}
                    checked={hide.includes(control)}
                    onChange={() => toggle(hide, setHide, control)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label className="link-field">
          {t("link.field")}
          <input type="text" readOnly value={link} onFocus={(e) => e.target.select()} />
        </label>
        <QrCode link={link} shortAddress={`${location.host}${location.pathname}`} />
        {leftOut.length > 0 && (
          <p role="alert">
            {leftOutOfLink(leftOut, t)} {t("classLink.shorten")}
          </p>
        )}
        <div className="controls">
          <button type="button" onClick={() => void copy()}>
            {t("classLink.copy")}
          </button>
          <span role="status">
            {copied === "copied"
              ? t("link.copied")
              : copied === "failed"
                ? t("classLink.copyFailed")
                : ""}
          </span>
          <form method="dialog">
            <button type="submit">{t("shortcuts.close")}</button>
          </form>
        </div>
      </dialog>
    </>
  );
}
