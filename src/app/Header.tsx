/** The page's header: the title, the backend line and the tools; one compact bar on the stage and on phones. */
import { useState } from "react";
import { useAppStore } from "./app-store";
import { measuredFigures } from "./backend-choice";
import { StudentLinkDialog } from "./ClassLink";
import { useCompactHeader } from "./Fold";
import { useT } from "./i18n";
import { LanguageMenu } from "./LanguageMenu";
import { ModelDiagram } from "./ModelDiagram";
import { leftOutOfLink } from "./settings";
import { applyTheme, savedTheme, THEMES, type Theme } from "./theme";

function BackendStatus({ label = "Compute backend" }: { label?: string }) {
  const backend = useAppStore((s) => s.backend);
  const measured = useAppStore((s) => s.measured);
  const retry = useAppStore((s) => s.retryStart);
  let text = backend.measuring
    ? "Measuring which backend is fastest here (once per browser)…"
    : "Starting TensorFlow.js…";
  const ready = backend.state === "ready" ? backend.value : null;
  // A measured choice names what the measurement left out; a rule's choice, what it skipped.
  const skipped = ready
    ? measured && !ready.forced
      ? measured.skipped
      : ready.attempts.filter((a) => !a.ok)
    : [];
  if (ready) {
    const { name, threads, forced } = ready;
    text = `Running on ${name.toUpperCase()}`;
    if (threads !== undefined)
      text += ` · ${threads} thread${threads === 1 ? "" : "s"}${crossOriginIsolated ? "" : " (more need a cross-origin-isolated page)"}`;
    if (forced) text += " · chosen by the link";
    else if (measured) {
      text += ` · the fastest measured here (${measuredFigures(measured)})`;
      if (measured.training !== name)
        text += `; training runs on ${measured.training.toUpperCase()}`;
    }
    if (skipped.length > 0) text += ` — ${skipped.map((a) => a.reason).join("; ")}`;
  } else if (backend.state === "error") text = `No compute backend: ${backend.message}`;
  const details = skipped.filter((a) => a.detail);
  return (
    <div className="backend">
      <p role="status" aria-label={label}>
        {text}
      </p>
      {backend.state === "error" && (
        <button type="button" onClick={retry}>
          Retry
        </button>
      )}
      {details.length > 0 && (
        <details>
          <summary>Technical details</summary>
          <ul>
            {details.map((a) => (
              <li key={a.name}>
                {a.name}: {a.detail}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

/** The backend in a few words, for the compact bar (the menu has the whole line). */
function ShortBackend() {
  const backend = useAppStore((s) => s.backend);
  const text =
    backend.state === "ready"
      ? `Running on ${backend.value.name.toUpperCase()}${backend.value.threads ? ` · ${backend.value.threads} thread${backend.value.threads === 1 ? "" : "s"}` : ""}`
      : backend.state === "error"
        ? "No compute backend (Menu says why)"
        : "Starting TensorFlow.js…";
  return (
    <p className="short-backend" role="status" aria-label="Compute backend">
      {text}
    </p>
  );
}

/**
 * The page's header: the title, what the lab is, the backend line and the tools. In presenter mode
 * and on phones it folds into one bar (title, backend in short, a menu holding the rest), so a
 * step's content starts near the top of the screen.
 */
export function Header({ openShortcuts }: { openShortcuts: () => void }) {
  const t = useT();
  const compact = useCompactHeader();
  // On the stage the picture of the model is About's (the first lesson step shows it there).
  const present = useAppStore((s) => s.settings.present === "1");
  const [menuOpen, setMenuOpen] = useState(false);
  const rest = (
    <>
      <p className="help">{t("header.intro")}</p>
      <BackendStatus label={compact ? "Compute backend, in full" : undefined} />
      <div className="header-tools">
        <ClassroomTools openShortcuts={openShortcuts} />
        <CopyLink />
        <StudentLinkDialog />
        <ThemeChoice />
        <LanguageMenu />
      </div>
    </>
  );
  if (!compact)
    return (
      <header>
        <h1>{t("header.title")}</h1>
        {rest}
      </header>
    );
  return (
    <header className="compact-bar">
      <div className="bar">
        <h1>{t("header.title")}</h1>
        <ShortBackend />
        <LanguageMenu />
        <button
          type="button"
          aria-expanded={menuOpen}
          aria-controls="app-menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t("header.menu")}
        </button>
      </div>
      <div id="app-menu" className="app-menu" hidden={!menuOpen}>
        {rest}
        {menuOpen && !present && <ModelDiagram />}
      </div>
    </header>
  );
}

function CopyLink() {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  const leftOut = useAppStore((s) => s.linkLeavesOut);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <span className="copy-link">
      <button type="button" onClick={copy}>
        Copy link
      </button>
      <span role="status" aria-live="polite">
        {copied === "copied" && "Link copied."}
        {copied === "failed" && "Could not copy: select the link below and copy it."}
        {copied !== "idle" && leftOut.length > 0 && ` ${leftOutOfLink(leftOut)}`}
      </span>
      {copied === "failed" && (
        <input
          type="text"
          readOnly
          aria-label="The link"
          value={location.href}
          onFocus={(e) => e.target.select()}
        />
      )}
    </span>
  );
}

function ThemeChoice() {
  const [theme, setTheme] = useState<Theme>(savedTheme);
  return (
    <label className="theme-choice">
      Theme{" "}
      <select
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          setTheme(next);
          applyTheme(next);
        }}
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {{ system: "as the system", light: "light", dark: "dark" }[t]}
          </option>
        ))}
      </select>
    </label>
  );
}

function ClassroomTools({ openShortcuts }: { openShortcuts: () => void }) {
  const lesson = useAppStore((s) => s.settings.lesson);
  const present = useAppStore((s) => s.settings.present);
  const goTo = useAppStore((s) => s.goToLessonStep);
  const set = useAppStore((s) => s.setSetting);
  const [fullScreenProblem, setFullScreenProblem] = useState("");
  const fullScreen = async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
      setFullScreenProblem("");
    } catch (e) {
      setFullScreenProblem(`Full screen is not allowed here (${(e as Error).message}).`);
    }
  };
  return (
    <>
      <button type="button" aria-pressed={lesson > 0} onClick={() => goTo(lesson > 0 ? 0 : 1)}>
        Lessons
      </button>
      <button
        type="button"
        aria-pressed={present === "1"}
        onClick={() => set("present", present === "1" ? "0" : "1")}
      >
        Presenter mode
      </button>
      <button type="button" onClick={() => void fullScreen()}>
        Full screen
      </button>
      <button type="button" onClick={openShortcuts} aria-keyshortcuts="?">
        Shortcuts
      </button>
      {fullScreenProblem && <span role="alert">{fullScreenProblem}</span>}
    </>
  );
}
