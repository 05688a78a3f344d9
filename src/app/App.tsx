import { useCallback, useEffect, useRef } from "react";
import { useAppStore } from "./app-store";
import { useCompactHeader } from "./Fold";
import { LockedNote, useControl } from "./fields";
import { Header } from "./Header";
import { useNumbers, useT } from "./i18n";
import { say } from "./i18n/message";
import { useUiLanguage } from "./i18n/ui-language";
import { LessonCard } from "./Lessons";
import { ModelDiagram } from "./ModelDiagram";
import { SHORTCUTS, usePresenterClass, useShortcuts } from "./Presenter";
import { TABS } from "./tabs/registry";

function LinkNotice() {
  const t = useT();
  const problems = useAppStore((s) => s.linkProblems);
  const dismiss = useAppStore((s) => s.dismissLinkProblems);
  if (problems.length === 0) return null;
  return (
    <div role="alert" className="notice">
      <p>{t("notice.link")}</p>
      <ul>
        {problems
          .map((p) => say(t, p))
          .map((text) => (
            <li key={text}>{text}</li>
          ))}
      </ul>
      <button type="button" onClick={dismiss}>
        {t("notice.ok")}
      </button>
    </div>
  );
}

function WorkerNotice() {
  const t = useT();
  const notice = useAppStore((s) => s.workerNotice);
  const dismiss = useAppStore((s) => s.dismissWorkerNotice);
  if (!notice) return null;
  return (
    <div role="alert" className="notice">
      <p>{notice}</p>
      <button type="button" onClick={dismiss}>
        {t("notice.ok")}
      </button>
    </div>
  );
}

function ShortcutsDialog({ dialog }: { dialog: React.RefObject<HTMLDialogElement | null> }) {
  const t = useT();
  return (
    <dialog ref={dialog} aria-labelledby="shortcuts-title" className="dialog">
      <h2 id="shortcuts-title">{t("shortcuts.title")}</h2>
      <p>{t("shortcuts.when")}</p>
      <dl className="shortcuts">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys}>
            <dt>
              <kbd>{t(keys)}</kbd>
            </dt>
            <dd>{t(what)}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button type="submit">{t("shortcuts.close")}</button>
      </form>
    </dialog>
  );
}

function ShippedModels() {
  const t = useT();
  const { number } = useNumbers();
  const artifacts = useAppStore((s) => s.artifacts);
  const retry = useAppStore((s) => s.retryStart);
  if (artifacts.state === "error")
    return (
      <div role="alert">
        <p>{t("models.failed", { why: artifacts.message })}</p>
        <button type="button" onClick={retry}>
          {t("backend.retry")}
        </button>
      </div>
    );
  if (artifacts.state !== "ready") return <p>{t("models.loading")}</p>;
  if (artifacts.value.length === 0) return <p>{t("models.none")}</p>;
  return (
    <ul aria-label={t("footer.models")}>
      {artifacts.value.map((a) => (
        <li key={a.name}>
          {t("models.item", {
            name: a.name,
            kind: a.kind,
            size: number(a.files.reduce((s, f) => s + f.bytes, 0) / 1024),
          })}
        </li>
      ))}
    </ul>
  );
}

function OfflineStatus() {
  const t = useT();
  const offline = useAppStore((s) => s.offline);
  if (offline.state === "idle") return null;
  return (
    <p role="status" aria-label={t("offline.label")}>
      {offline.state === "ready"
        ? t("offline.ready", { count: offline.value.files })
        : offline.state === "error"
          ? t("offline.failed", { why: offline.message })
          : t("offline.saving")}
    </p>
  );
}

/** The WAI-ARIA tabs pattern: one tab stop; arrow keys, Home and End move between tabs. */
function Tabs() {
  const t = useT();
  const panel = useAppStore((s) => s.settings.panel);
  const set = useAppStore((s) => s.setSetting);
  const { locked, hidden } = useControl("panel");
  const onKeyDown = (e: React.KeyboardEvent) => {
    const i = TABS.findIndex((tab) => tab.id === panel);
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
      <div role="tablist" aria-label={t("tabs.label")} className="tabs" onKeyDown={onKeyDown}>
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
            {t(title)}
          </button>
        ))}
      </div>
      {locked && (
        <p className="note">
          {t("tabs.locked")} <LockedNote />.
        </p>
      )}
    </>
  );
}

function Panel() {
  const panel = useAppStore((s) => s.settings.panel);
  const Content = TABS.find((tab) => tab.id === panel)?.Panel;
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
  const t = useT();
  const start = useAppStore((s) => s.start);
  const compact = useCompactHeader();
  const present = useAppStore((s) => s.settings.present === "1");
  const lesson = useAppStore((s) => s.settings.lesson);
  const shortcuts = useRef<HTMLDialogElement>(null);
  const openShortcuts = useCallback(() => {
    if (!shortcuts.current?.open) shortcuts.current?.showModal();
  }, []);
  useShortcuts(openShortcuts);
  usePresenterClass();
  useLeaveWarning();
  useUiLanguage();
  useEffect(() => {
    void start();
  }, [start]);
  return (
    <main className={lesson > 0 ? "with-lesson" : undefined}>
      <Header openShortcuts={openShortcuts} />
      <LinkNotice />
      <WorkerNotice />
      {/* On the stage the tabs span the screen, above the step and its lesson card. */}
      {present && <Tabs />}
      <div className="workspace">
        <div className="panels">
          {!compact && <ModelDiagram />}
          {!present && <Tabs />}
          <Panel />
        </div>
        <LessonCard />
      </div>
      <footer>
        <h2>{t("footer.models")}</h2>
        <ShippedModels />
        <OfflineStatus />
      </footer>
      <ShortcutsDialog dialog={shortcuts} />
    </main>
  );
}
