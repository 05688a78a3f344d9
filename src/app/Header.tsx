/** The page's header: the title, the backend line and the tools; one compact bar on the stage and on phones. */

import i18next from "i18next";
import { useState } from "react";
import { useAppStore } from "./app-store";
import { measuredFigures } from "./backend-choice";
import { useRefusal } from "./backend-words";
import { StudentLinkDialog } from "./ClassLink";
import { useCompactHeader } from "./Fold";
import { useT } from "./i18n";
import type { TextKey } from "./i18n/catalogues";
import { whyOf } from "./i18n/problems";
import { LanguageMenu } from "./LanguageMenu";
import { ModelDiagram } from "./ModelDiagram";
import { leftOutOfLink } from "./settings";
import { applyTheme, savedTheme, THEMES, type Theme } from "./theme";

function BackendStatus({ label }: { label?: string }) {
  const t = useT();
  const refusal = useRefusal();
  const backend = useAppStore((s) => s.backend);
  const measured = useAppStore((s) => s.measured);
  const retry = useAppStore((s) => s.retryStart);
  let text = backend.measuring ? t("backend.measuring") : t("backend.starting");
  const ready = backend.state === "ready" ? backend.value : null;
  // A measured choice names what the measurement left out; a rule's choice, what it skipped.
  const skipped = ready
    ? measured && !ready.forced
      ? measured.skipped
      : ready.attempts.filter((a) => !a.ok)
    : [];
  if (ready) {
    const { name, threads, forced } = ready;
    text = t("backend.running", { backend: name.toUpperCase() });
    if (threads !== undefined) {
      text += ` · ${t("backend.threads", { count: threads })}`;
      if (!crossOriginIsolated) text += ` ${t("backend.moreThreads")}`;
    }
    if (forced) text += ` · ${t("backend.byLink")}`;
    else if (measured) {
      text += ` · ${t("backend.fastest", { figures: t("backend.figures", measuredFigures(measured, i18next.language)) })}`;
      if (measured.training !== name)
        text += t("backend.trainingOn", { backend: measured.training.toUpperCase() });
    }
    if (skipped.length > 0) text += ` — ${skipped.map(refusal).join("; ")}`;
  } else if (backend.state === "error") text = t("backend.none", { why: backend.message });
  const details = skipped.filter((a) => a.detail);
  return (
    <div className="backend">
      <p role="status" aria-label={label ?? t("backend.label")}>
        {text}
      </p>
      {backend.state === "error" && (
        <button type="button" onClick={retry}>
          {t("backend.retry")}
        </button>
      )}
      {details.length > 0 && (
        <details>
          <summary>{t("backend.details")}</summary>
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
  const t = useT();
  const backend = useAppStore((s) => s.backend);
  const text =
    backend.state === "ready"
      ? t("backend.running", { backend: backend.value.name.toUpperCase() }) +
        (backend.value.threads
          ? ` · ${t("backend.threads", { count: backend.value.threads })}`
          : "")
      : backend.state === "error"
        ? t("backend.noneShort")
        : t("backend.starting");
  return (
    <p className="short-backend" role="status" aria-label={t("backend.label")}>
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
      <BackendStatus label={compact ? t("backend.labelFull") : undefined} />
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
        <LanguageMenu short />
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
  const t = useT();
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
        {t("link.copy")}
      </button>
      <span role="status" aria-live="polite">
        {copied === "copied" && t("link.copied")}
        {copied === "failed" && t("link.copyFailed")}
        {copied !== "idle" && leftOut.length > 0 && ` ${leftOutOfLink(leftOut, t)}`}
      </span>
      {copied === "failed" && (
        <input
          type="text"
          readOnly
          aria-label={t("link.field")}
          value={location.href}
          onFocus={(e) => e.target.select()}
        />
      )}
    </span>
  );
}

const THEME_NAMES: Record<Theme, TextKey> = {
  system: "theme.system",
  light: "theme.light",
  dark: "theme.dark",
};

function ThemeChoice() {
  const t = useT();
  const [theme, setTheme] = useState<Theme>(savedTheme);
  return (
    <label className="theme-choice">
      {t("theme.label")}{" "}
      <select
        value={theme}
        onChange={(e) => {
          const next = e.target.value as Theme;
          setTheme(next);
          applyTheme(next);
        }}
      >
        {THEMES.map((id) => (
          <option key={id} value={id}>
            {t(THEME_NAMES[id])}
          </option>
        ))}
      </select>
    </label>
  );
}

function ClassroomTools({ openShortcuts }: { openShortcuts: () => void }) {
  const t = useT();
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
      setFullScreenProblem(t("tools.fullScreenRefused", { why: whyOf(e) }));
    }
  };
  return (
    <>
      <button type="button" aria-pressed={lesson > 0} onClick={() => goTo(lesson > 0 ? 0 : 1)}>
        {t("tools.lessons")}
      </button>
      <button
        type="button"
        aria-pressed={present === "1"}
        onClick={() => set("present", present === "1" ? "0" : "1")}
      >
        {t("tools.present")}
      </button>
      <button type="button" onClick={() => void fullScreen()}>
        {t("tools.fullScreen")}
      </button>
      <button type="button" onClick={openShortcuts} aria-keyshortcuts="?">
        {t("tools.shortcuts")}
      </button>
      {fullScreenProblem && <span role="alert">{fullScreenProblem}</span>}
    </>
  );
}
