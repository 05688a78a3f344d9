/** Starting, pausing and stopping runs, racing students, and the list of runs with their students. */
import { MAX_LANES } from "../../../ml/presets";
import { useAppStore } from "../../app-store";
import { seriesColour } from "../../chart-colours";
import { Fold } from "../../Fold";
import { duration } from "../../fields";
import { useNumbers, useT } from "../../i18n";
import type { TextKey } from "../../i18n/catalogues";
import { decodeLanes, type Lane, laneLabels, laneOf } from "../../race";
import { estimateSeconds, type Run, studentRun } from "./runs";

/** How each run state is said. */
const STATES: Record<Run["state"], TextKey> = {
  preparing: "run.preparing",
  running: "run.running",
  paused: "run.paused",
  done: "run.done",
  stopped: "run.stopped",
  failed: "run.failed",
};

export function RunList() {
  const t = useT();
  const { number } = useNumbers();
  const runs = useAppStore((s) => s.runs);
  const removeRun = useAppStore((s) => s.removeRun);
  if (runs.length === 0) return null;
  return (
    <ul aria-label={t("run.list")} className="runs">
      {runs.map((r) => {
        const last = r.metrics.at(-1);
        const val = [...r.metrics]
          .reverse()
          .find((m) => m.valPerplexity !== undefined)?.valPerplexity;
        return (
          <li key={r.id}>
            <span className="swatch" style={{ background: seriesColour(r.id - 1) }} />
            {r.label}
            {r.backend && ` ${t("run.on", { backend: r.backend.toUpperCase() })}`}:{" "}
            {t(STATES[r.state])}
            {r.state === "preparing" && r.teacherLoad && (
              <>
                {" "}
                {t("run.teacherLoad", {
                  loaded: number(r.teacherLoad.loaded / 2 ** 20, 1),
                  total: number(r.teacherLoad.total / 2 ** 20, 1),
                })}{" "}
                <progress
                  aria-label={t("run.teacherDownload")}
                  max={r.teacherLoad.total}
                  value={r.teacherLoad.loaded}
                />
              </>
            )}
            {last &&
              `, ${t("run.progress", {
                step: last.step,
                ce: number(last.ce, 3),
                rate: number(last.tokensPerSec),
              })}`}
            {val !== undefined && `, ${t("run.perplexity", { value: number(val, 1) })}`}
            {r.message && ` — ${r.message}`}
            {!["preparing", "running", "paused"].includes(r.state) && (
              <button
                type="button"
                onClick={() => removeRun(r.id)}
                aria-label={t("run.remove", { id: r.id })}
              >
                ×
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** How long the next run (or race) should take, from this computer's measured step times. */
function Estimate({ lanes }: { lanes: Lane[] }) {
  const t = useT();
  const steps = useAppStore((s) => s.settings.steps);
  const batch = useAppStore((s) => s.settings.batch);
  const stepMs = useAppStore((s) => s.stepMs);
  const seconds = estimateSeconds(lanes, steps, batch, stepMs);
  return (
    <span className="note">
      {seconds === null
        ? t("run.estimateUnknown")
        : t("run.estimate", { duration: duration(seconds) })}
    </span>
  );
}

/** Step, progress bar and time left of the run that trains now. */
function Progress({ current }: { current: Run[] }) {
  const t = useT();
  const steps = useAppStore((s) => s.settings.steps);
  const running = current.filter((r) => r.startedAt !== undefined);
  if (running.length === 0) return null;
  const done = Math.min(...running.map((r) => r.metrics.at(-1)?.step ?? 0));
  const elapsed = (Date.now() - (running[0].startedAt ?? Date.now())) / 1000;
  const left = done > 0 ? (elapsed / done) * (steps - done) : null;
  return (
    <span className="progress">
      <progress aria-label={t("run.trainingProgress")} max={steps} value={done} />
      <span role="status">
        {t("run.step", { step: done, total: steps })}
        {left !== null && ` · ${t("run.left", { duration: duration(left) })}`}
      </span>
    </span>
  );
}

export function Race() {
  const t = useT();
  const race = useAppStore((s) => s.settings.race);
  const addToRace = useAppStore((s) => s.addToRace);
  const removeFromRace = useAppStore((s) => s.removeFromRace);
  const startRace = useAppStore((s) => s.startRace);
  const busy = useAppStore((s) =>
    s.runs.some((r) => ["preparing", "running", "paused"].includes(r.state)),
  );
  const { lanes } = decodeLanes(race);
  const labels = laneLabels(lanes);
  return (
    <section className="race" aria-label={t("race.label")} data-lesson="race">
      <h3>{t("race.title")}</h3>
      <p className="note">{t("race.how", { max: MAX_LANES })}</p>
      {lanes.length > 0 && (
        <ol aria-label={t("race.lanes")}>
          {lanes.map((_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a lane is its position in the race
            <li key={i}>
              {labels[i]}{" "}
              <button
                type="button"
                onClick={() => removeFromRace(i)}
                aria-label={t("race.removeLane", { lane: i + 1 })}
                disabled={busy}
              >
                ×
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="controls">
        <button type="button" onClick={addToRace} disabled={busy || lanes.length >= MAX_LANES}>
          {t("race.add")}
        </button>
        <button type="button" onClick={() => void startRace()} disabled={busy || lanes.length < 2}>
          {t("race.start")}
        </button>
        {lanes.length >= 2 && <Estimate lanes={lanes} />}
      </div>
    </section>
  );
}

export function Controls() {
  const t = useT();
  const runs = useAppStore((s) => s.runs);
  const settings = useAppStore((s) => s.settings);
  const start = useAppStore((s) => s.startTraining);
  const pause = useAppStore((s) => s.pauseTraining);
  const resume = useAppStore((s) => s.resumeTraining);
  const stop = useAppStore((s) => s.stopTraining);
  const download = useAppStore((s) => s.downloadStudent);
  const downloadForHf = useAppStore((s) => s.downloadStudentForHuggingFace);
  const send = useAppStore((s) => s.sendStudentToCompare);
  const exportError = useAppStore((s) => s.exportError);
  const current = runs.filter((r) => ["preparing", "running", "paused"].includes(r.state));
  const busy = current.length > 0;
  const keptIds = useAppStore((s) => s.studentRunIds);
  const chosenId = useAppStore((s) => s.chosenStudentRun);
  const choose = useAppStore((s) => s.chooseStudentRun);
  const clearSaved = useAppStore((s) => s.clearSavedRuns);
  const storageError = useAppStore((s) => s.storageError);
  const chosen = studentRun(runs, keptIds, chosenId);
  return (
    <div className="controls">
      <button type="button" onClick={() => void start()} disabled={busy}>
        {t("run.start")}
      </button>
      {current.some((r) => r.state === "paused") ? (
        <button type="button" onClick={resume}>
          {t("run.resume")}
        </button>
      ) : (
        <button
          type="button"
          onClick={pause}
          disabled={!current.some((r) => r.state === "running")}
        >
          {t("run.pause")}
        </button>
      )}
      <button type="button" onClick={stop} disabled={!busy}>
        {t("run.stopTraining")}
      </button>
      <Fold summary={t("student.fold")}>
        {keptIds.length > 1 && (
          <label>
            {t("student.ofRun")}{" "}
            <select value={chosen?.id ?? ""} onChange={(e) => choose(Number(e.target.value))}>
              {keptIds.map((id) => (
                <option key={id} value={id}>
                  {runs.find((r) => r.id === id)?.label ?? `#${id}`}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => void download()} disabled={!chosen || busy}>
          {t("student.download")}
          {chosen ? ` (#${chosen.id})` : ""}
        </button>
        <button type="button" onClick={() => void downloadForHf()} disabled={!chosen || busy}>
          {t("student.downloadHf")}
          {chosen ? ` (#${chosen.id})` : ""}
        </button>
        <button type="button" onClick={() => void send()} disabled={!chosen || busy}>
          {t("student.use")}
          {chosen ? ` (#${chosen.id})` : ""}
        </button>
        {keptIds.length > 0 && (
          <button type="button" onClick={() => void clearSaved()} disabled={busy}>
            {t("student.clear")}
          </button>
        )}
      </Fold>
      {busy ? <Progress current={current} /> : <Estimate lanes={[laneOf(settings)]} />}
      {exportError && <p role="alert">{exportError}</p>}
      {storageError && <p role="alert">{storageError}</p>}
    </div>
  );
}
