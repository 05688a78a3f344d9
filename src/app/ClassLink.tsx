/**
 * "Copy link for students": the teacher picks controls to lock and to hide; the link carries the
 * current settings, those lists and a locked seed, so every student sees the same run.
 */
import { useRef, useState } from "react";
import { useAppStore } from "./app-store";
import { CLASS_CONTROLS, type ClassControl, parseControls, studentSettings } from "./class-links";
import { QrCode } from "./QrCode";
import { leftOutOfLink, settingsLink } from "./settings";

const CONTROLS = Object.entries(CLASS_CONTROLS) as [ClassControl, string][];

export function StudentLinkDialog() {
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
        Copy link for students
      </button>
      <dialog ref={dialog} aria-labelledby="student-link-title" className="dialog student-link">
        <h2 id="student-link-title">Link for students</h2>
        <p>
          The link opens the app as it is now. A locked control shows the link's value and can't be
          changed; a hidden one is gone. The seed is always locked, so every student sees the same
          run.
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Control</th>
              <th scope="col">Lock</th>
              <th scope="col">Hide</th>
            </tr>
          </thead>
          <tbody>
            {CONTROLS.map(([control, name]) => (
              <tr key={control}>
                <th scope="row">{name}</th>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Lock ${name}`}
                    checked={lock.includes(control) || control === "seed"}
                    disabled={control === "seed"}
                    onChange={() => toggle(lock, setLock, control)}
                  />
                </td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Hide ${name}`}
                    checked={hide.includes(control)}
                    onChange={() => toggle(hide, setHide, control)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label className="link-field">
          The link
          <input type="text" readOnly value={link} onFocus={(e) => e.target.select()} />
        </label>
        <QrCode link={link} shortAddress={`${location.host}${location.pathname}`} />
        {leftOut.length > 0 && (
          <p role="alert">
            {leftOutOfLink(leftOut)} Students won't see it: shorten it to share it.
          </p>
        )}
        <div className="controls">
          <button type="button" onClick={() => void copy()}>
            Copy the link
          </button>
          <span role="status">
            {copied === "copied"
              ? "Link copied."
              : copied === "failed"
                ? "Could not copy: select the link above and copy it."
                : ""}
          </span>
          <form method="dialog">
            <button type="submit">Close</button>
          </form>
        </div>
      </dialog>
    </>
  );
}
