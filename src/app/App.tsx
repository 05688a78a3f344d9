import { useCallback, useEffect, useRef, useState } from "react";
import { useAppStore } from "./app-store";
import { measuredFigures } from "./backend-choice";
import { StudentLinkDialog } from "./ClassLink";
import { LockedNote, useControl } from "./fields";
import { LessonCard } from "./Lessons";
import { ModelDiagram } from "./ModelDiagram";
import { SHORTCUTS, usePresenterClass, useShortcuts } from "./Presenter";
import { leftOutOfLink } from "./settings";
import { TABS } from "./tabs/registry";
import { applyTheme, savedTheme, THEMES, type Theme } from "./theme";

function BackendStatus() {
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
      <p role="status" aria-label="Compute backend">
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

function LinkNotice() {
  const problems = useAppStore((s) => s.linkProblems);
  const dismiss = useAppStore((s) => s.dismissLinkProblems);
  if (problems.length === 0) return null;
  return (
    <div role="alert" className="notice">
      <p>Some settings in the link were not valid, so their defaults are used:</p>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        OK
      </button>
    </div>
  );
}

function WorkerNotice() {
  const notice = useAppStore((s) => s.workerNotice);
  const dismiss = useAppStore((s) => s.dismissWorkerNotice);
  if (!notice) return null;
  return (
    <div role="alert" className="notice">
      <p>{notice}</p>
      <button type="button" onClick={dismiss}>
        OK
      </button>
    </div>
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

function ShortcutsDialog({ dialog }: { dialog: React.RefObject<HTMLDialogElement | null> }) {
  return (
    <dialog ref={dialog} aria-labelledby="shortcuts-title" className="dialog">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <p>They work whenever no text field has the focus.</p>
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}

function ShippedModels() {
  const artifacts = useAppStore((s) => s.artifacts);
  const retry = useAppStore((s) => s.retryStart);
  if (artifacts.state === "error")
    return (
      <div role="alert">
        <p>Could not load the model list: {artifacts.message}</p>
        <button type="button" onClick={retry}>
          Retry
        </button>
      </div>
    );
  if (artifacts.state !== "ready") return <p>Loading the model list…</p>;
  if (artifacts.value.length === 0) return <p>No pre-trained models are shipped yet.</p>;
  return (
    <ul aria-label="Shipped models">
      {artifacts.value.map((a) => (
        <li key={a.name}>
          {a.name} ({a.kind}, {(a.files.reduce((s, f) => s + f.bytes, 0) / 1024).toFixed(0)} kB)
        </li>
      ))}
    </ul>
  );
}

function OfflineStatus() {
  const offline = useAppStore((s) => s.offline);
  if (offline.state === "idle") return null;
  return (
    <p role="status" aria-label="Offline use">
      {offline.state === "ready"
        ? `Available offline: all ${offline.value.files} files of the app, its models and corpora are saved in this browser.`
        : offline.state === "error"
          ? `Not available offline: ${offline.message}`
          : "Saving the app and its models for offline use…"}
    </p>
  );
}

/** The WAI-ARIA tabs pattern: one tab stop; arrow keys, Home and End move between tabs. */
function Tabs() {
  const panel = useAppStore((s) => s.settings.panel);
  const set = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl("panel");
  const onKeyDown = (e: React.KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.id === panel);
    const next = {
      ArrowRight: (i + 1) % TABS.length,
      ArrowLeft: (i - 1 + TABS.length) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    set("panel", TABS[next].id);
    document.getElementById(`tab-${TABS[next].id}`)?.focus();
  };
  if (hidden) return null;
  return (
    <>
      <div role="tablist" aria-label="Panels" className="tabs" onKeyDown={onKeyDown}>
        {TABS.map(({ id, title }) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={panel === id}
            aria-controls={`panel-${id}`}
            tabIndex={panel === id ? 0 : -1}
            disabled={locked && panel !== id}
            onClick={() => set("panel", id)}
          >
            {title}
          </button>
        ))}
      </div>
      {locked && (
        <p className="note">
          The tab is <LockedNote />.
        </p>
      )}
    </>
  );
}

function Panel() {
  const panel = useAppStore((s) => s.settings.panel);
  const Content = TABS.find((t) => t.id === panel)?.Panel;
  return (
    <div role="tabpanel" id={`panel-${panel}`} aria-labelledby={`tab-${panel}`}>
      {Content && <Content />}
    </div>
  );
}

/** Asks before a reload or close would throw away work a tab is still doing. */
function useLeaveWarning(): void {
  const working = useAppStore((s) => TABS.some((t) => t.busy?.(s)));
  useEffect(() => {
    if (!working) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ""; // older browsers need it set
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [working]);
}

export function App() {
  const start = useAppStore((s) => s.start);
  const lesson = useAppStore((s) => s.settings.lesson);
  const shortcuts = useRef<HTMLDialogElement>(null);
  const openShortcuts = useCallback(() => {
    if (!shortcuts.current?.open) shortcuts.current?.showModal();
  }, []);
  useShortcuts(openShortcuts);
  usePresenterClass();
  useLeaveWarning();
  useEffect(() => {
    void start();
  }, [start]);
  return (
    <main className={lesson > 0 ? "with-lesson" : undefined}>
      <header>
        <h1>MoME Lab</h1>
        <p className="help">
          Mixture of Modular Experts in your browser: one multilingual teacher language model,
          distilled into small experts for English, French, German and Python, chosen by a router.
        </p>
        <BackendStatus />
        <div className="header-tools">
          <ClassroomTools openShortcuts={openShortcuts} />
          <CopyLink />
          <StudentLinkDialog />
          <ThemeChoice />
        </div>
      </header>
      <LinkNotice />
      <WorkerNotice />
      <div className="workspace">
        <div className="panels">
          <ModelDiagram />
          <Tabs />
          <Panel />
        </div>
        <LessonCard />
      </div>
      <footer>
        <h2>Shipped models</h2>
        <ShippedModels />
        <OfflineStatus />
      </footer>
      <ShortcutsDialog dialog={shortcuts} />
    </main>
  );
}
