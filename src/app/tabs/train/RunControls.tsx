/** Starting, pausing and stopping runs, racing students, and the list of runs with their students. */
import { MAX_LANES } from "../../../ml/presets";
import { useAppStore } from "../../app-store";
import { seriesColour } from "../../chart-colours";
import { Fold } from "../../Fold";
import { duration } from "../../fields";
import { decodeLanes, type Lane, laneLabels, laneOf } from "../../race";
import { estimateSeconds, type Run, studentRun } from "./runs";

export function RunList() {
  const runs = useAppStore((s) => s.runs);
  const removeRun = useAppStore((s) => s.removeRun);
  if (runs.length === 0) return null;
  return (
    <ul aria-label="Training runs" className="runs">
      {runs.map((r) => {
        const last = r.metrics.at(-1);
        const val = [...r.metrics]
          .reverse()
          .find((m) => m.valPerplexity !== undefined)?.valPerplexity;
        return (
          <li key={r.id}>
            <span className="swatch" style={{ background: seriesColour(r.id - 1) }} />
            {r.label}
            {r.backend && ` on ${r.backend.toUpperCase()}`}: {r.state}
            {r.state === "preparing" && r.teacherLoad && (
              <>
                {" "}
                — loading the teacher, {(r.teacherLoad.loaded / 2 ** 20).toFixed(1)} of{" "}
                {(r.teacherLoad.total / 2 ** 20).toFixed(1)} MB{" "}
                <progress
                  aria-label="Teacher download"
                  max={r.teacherLoad.total}
                  value={r.teacherLoad.loaded}
                />
              </>
            )}
            {last &&
              `, step ${last.step}, CE ${last.ce.toFixed(3)}, ${Math.round(last.tokensPerSec)} tokens/s`}
            {val !== undefined && `, validation perplexity ${val.toFixed(1)}`}
            {r.message && ` — ${r.message}`}
            {!["preparing", "running", "paused"].includes(r.state) && (
              <button
                type="button"
                onClick={() => removeRun(r.id)}
                aria-label={`Remove run ${r.id}`}
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
  const steps = useAppStore((s) => s.settings.steps);
  const batch = useAppStore((s) => s.settings.batch);
  const stepMs = useAppStore((s) => s.stepMs);
  const seconds = estimateSeconds(lanes, steps, batch, stepMs);
  return (
    <span className="note">
      {seconds === null
        ? "How long it takes is measured on the first run of this size."
        : `About ${duration(seconds)} on this computer (measured).`}
    </span>
  );
}

/** Step, progress bar and time left of the run that trains now. */
function Progress({ current }: { current: Run[] }) {
  const steps = useAppStore((s) => s.settings.steps);
  const running = current.filter((r) => r.startedAt !== undefined);
  if (running.length === 0) return null;
  const done = Math.min(...running.map((r) => r.metrics.at(-1)?.step ?? 0));
  const elapsed = (Date.now() - (running[0].startedAt ?? Date.now())) / 1000;
  const left = done > 0 ? (elapsed / done) * (steps - done) : null;
  return (
    <span className="progress">
      <progress aria-label="Training progress" max={steps} value={done} />
      <span role="status">
        Step {done} of {steps}
        {left !== null && ` · about ${duration(left)} left`}
      </span>
    </span>
  );
}

export function Race() {
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
    <section className="race" aria-label="Race">
      <h3>Race: train several students at once, on the same batches</h3>
      <p className="note">
        Set up a student above and add it; change a setting and add another (up to {MAX_LANES}). The
        teacher runs once per batch for every lane.
      </p>
      {lanes.length > 0 && (
        <ol aria-label="Race lanes">
          {lanes.map((_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a lane is its position in the race
            <li key={i}>
              {labels[i]}{" "}
              <button
                type="button"
                onClick={() => removeFromRace(i)}
                aria-label={`Remove lane ${i + 1}`}
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
          Add to race
        </button>
        <button type="button" onClick={() => void startRace()} disabled={busy || lanes.length < 2}>
          Start race
        </button>
        {lanes.length >= 2 && <Estimate lanes={lanes} />}
      </div>
    </section>
  );
}

export function Controls() {
  const runs = useAppStore((s) => s.runs);
  const settings = useAppStore((s) => s.settings);
  const start = useAppStore((s) => s.startTraining);
  const pause = useAppStore((s) => s.pauseTraining);
  const resume = useAppStore((s) => s.resumeTraining);
  const stop = useAppStore((s) => s.stopTraining);
  const download = useAppStore((s) => s.downloadStudent);
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
        Start training
      </button>
      {current.some((r) => r.state === "paused") ? (
        <button type="button" onClick={resume}>
          Resume
        </button>
      ) : (
        <button
          type="button"
          onClick={pause}
          disabled={!current.some((r) => r.state === "running")}
        >
          Pause
        </button>
      )}
      <button type="button" onClick={stop} disabled={!busy}>
        Stop training
      </button>
      <Fold summary="Your student">
        {keptIds.length > 1 && (
          <label>
            Student of run{" "}
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
          Download student{chosen ? ` (#${chosen.id})` : ""}
        </button>
        <button type="button" onClick={() => void send()} disabled={!chosen || busy}>
          Use in Teacher vs student{chosen ? ` (#${chosen.id})` : ""}
        </button>
        {keptIds.length > 0 && (
          <button type="button" onClick={() => void clearSaved()} disabled={busy}>
            Clear saved runs
          </button>
        )}
      </Fold>
      {busy ? <Progress current={current} /> : <Estimate lanes={[laneOf(settings)]} />}
      {exportError && <p role="alert">{exportError}</p>}
      {storageError && <p role="alert">{storageError}</p>}
    </div>
  );
}
