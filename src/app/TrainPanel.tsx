import { useRef } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { MAX_LANES, STUDENT_PRESETS } from "../ml/presets";
import type { StepMetrics } from "../ml/train";
import { ChartExport } from "./ChartExport";
import { seriesColour } from "./chart-colours";
import { duration, NumberInput, Select } from "./fields";
import { LANGUAGE_NAMES } from "./languages";
import { useChartHeight } from "./Presenter";
import { RecordedToggle, useRecorded } from "./RecordedRuns";
import { decodeLanes, type Lane, laneLabels, laneOf } from "./race";
import { useAppStore } from "./store";
import { estimateSeconds, type Run, studentRun } from "./training";

function AlphaSlider() {
  const alpha = useAppStore((s) => s.settings.alpha);
  const setKnob = useAppStore((s) => s.setKnob);
  return (
    <label>
      α (weight on CE) {alpha.toFixed(2)}
      <input
        type="range"
        min={0}
        max={1}
        step={0.05}
        value={alpha}
        onChange={(e) => setKnob("alpha", Number(e.target.value))}
      />
    </label>
  );
}

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

type Series = { key: keyof StepMetrics; title: string; label: string };
const CHARTS: Series[] = [
  { key: "ce", title: "CE loss", label: "cross-entropy" },
  { key: "kd", title: "KD loss", label: "distillation loss" },
  { key: "total", title: "Total loss", label: "α·CE + β·KD" },
  { key: "alpha", title: "Alpha", label: "α (β = 1 − α)" },
  { key: "valPerplexity", title: "Validation perplexity", label: "perplexity" },
];

function MetricChart({
  series,
  runs,
  recorded,
}: {
  series: Series;
  runs: Run[];
  recorded: { label: string; metrics: StepMetrics[] }[];
}) {
  const has = (m: StepMetrics) => m[series.key] !== null && m[series.key] !== undefined;
  const shown = runs.filter((r) => r.metrics.some(has));
  const recordedShown = recorded
    .map((lane) => ({ label: `recorded: ${lane.label}`, metrics: lane.metrics.filter(has) }))
    .filter((lane) => lane.metrics.length > 0);
  const height = useChartHeight(200);
  const figure = useRef<HTMLElement>(null);
  const csv = () => [
    ["run", "step", series.key],
    ...[...shown, ...recordedShown].flatMap((run) =>
      run.metrics.filter(has).map((m) => [run.label, m.step, m[series.key] as number]),
    ),
  ];
  return (
    <figure className="chart" aria-label={`${series.title} chart`} ref={figure}>
      <figcaption>
        {series.title}{" "}
        {shown.length + recordedShown.length > 0 && (
          <ChartExport figure={figure} name={`training-${series.key}`} csv={csv} />
        )}
      </figcaption>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart margin={{ top: 4, right: 12, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--colour-border)" />
          <XAxis
            dataKey="step"
            type="number"
            domain={[1, "dataMax"]}
            allowDuplicatedCategory={false}
          />
          <YAxis
            width={48}
            domain={["auto", "auto"]}
            tickFormatter={(v: number) => String(Number(v.toPrecision(3)))}
          />
          <Tooltip />
          <Legend />
          {shown.flatMap((run) =>
            run.knobChanges.map((change) => (
              <ReferenceLine
                key={`${run.id}-${change.step}-${change.text}`}
                x={change.step}
                stroke={seriesColour(run.id - 1)}
                strokeDasharray="2 2"
                label={{ value: change.text, position: "insideTopLeft", fontSize: 11 }}
              />
            )),
          )}
          {shown.map((run) => (
            <Line
              key={run.id}
              data={run.metrics.filter(
                (m) => m[series.key] !== null && m[series.key] !== undefined,
              )}
              dataKey={series.key}
              name={`${run.label}${series.key === "alpha" ? " α" : ""}`}
              stroke={seriesColour(run.id - 1)}
              dot={false}
              isAnimationActive={false}
            />
          ))}
          {recordedShown.map((lane, i) => (
            <Line
              key={lane.label}
              data={lane.metrics}
              dataKey={series.key}
              name={lane.label}
              stroke={seriesColour(i)}
              strokeDasharray="6 4"
              strokeOpacity={0.7}
              dot={false}
              isAnimationActive={false}
            />
          ))}
          {series.key === "alpha" &&
            shown.map((run) => (
              <Line
                key={`beta-${run.id}`}
                data={run.metrics}
                dataKey="beta"
                name={`${run.label} β`}
                stroke={seriesColour(run.id - 1)}
                strokeDasharray="4 3"
                dot={false}
                isAnimationActive={false}
              />
            ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

function RunList() {
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

function Race() {
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

function Controls() {
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
      {busy ? <Progress current={current} /> : <Estimate lanes={[laneOf(settings)]} />}
      {exportError && <p role="alert">{exportError}</p>}
      {storageError && <p role="alert">{storageError}</p>}
    </div>
  );
}

export function TrainPanel() {
  const corpus = useAppStore((s) => s.settings.corpus);
  const distil = useAppStore((s) => s.settings.distil);
  const alphaMode = useAppStore((s) => s.settings.alphaMode);
  const runs = useAppStore((s) => s.runs);
  const setKnob = useAppStore((s) => s.setKnob);
  const recorded = useRecorded();
  return (
    <section aria-labelledby="train-title" className="panel">
      <h2 id="train-title">Train a student</h2>
      <p>
        Train a small student language model here, in your browser, by next-token cross-entropy (CE)
        and, if you like, by distillation from the teacher: loss = α·CE + β·KD. Every loss is
        plotted live; runs stay on the charts for comparison.
      </p>
      <div className="form">
        <Select
          name="corpus"
          label="Corpus"
          labels={{ ...LANGUAGE_NAMES, custom: "Your own text" }}
        />
        <Select
          name="size"
          label="Student size"
          labels={Object.fromEntries(
            Object.entries(STUDENT_PRESETS).map(([k, p]) => [
              k,
              `${k} (${p.dModel} wide, ${p.nLayers} layer${p.nLayers > 1 ? "s" : ""})`,
            ]),
          )}
        />
        <Select
          name="distil"
          label="Teacher"
          labels={{ on: "distil from the teacher", off: "CE only (no teacher)" }}
        />
        {distil === "on" && (
          <>
            <Select
              name="alphaMode"
              label="α schedule"
              labels={{
                fixed: "fixed",
                adaptive: "adaptive (the paper's)",
                linear: "linear from 1 to α",
                cosine: "cosine from 1 to α",
                step: "1, then α after half-way",
              }}
            />
            {alphaMode !== "adaptive" && <AlphaSlider />}
            <Select
              name="kdLoss"
              label="KD loss"
              labels={{
                forward: "forward KL·T²",
                "paper-inverse": "the paper's inverse KL",
                reverse: "reverse KL·T²",
              }}
            />
            <NumberInput
              name="kdTemperature"
              label="Temperature"
              step={0.5}
              onValue={(v) => setKnob("kdTemperature", v)}
            />
            <Select
              name="lossMode"
              label="Mode"
              labels={{ combined: "combined", alternating: "alternating CE / KD steps" }}
            />
          </>
        )}
        <NumberInput
          name="learningRate"
          label="Learning rate"
          step={0.0005}
          onValue={(v) => setKnob("learningRate", v)}
        />
        <NumberInput name="steps" label="Steps" step={10} />
      </div>
      {distil === "on" && alphaMode === "adaptive" && (
        <p className="note">
          Adaptive α (the paper's): α = β = 0.5 while both losses fall; a loss that rose over the
          last {"k = max(20, steps / 100)"} steps loses weight in proportion to its rise.
        </p>
      )}
      {corpus === "custom" && <CustomText />}
      <p className="note">
        While a run trains, the learning rate, a fixed α and the temperature can be changed: the
        change applies from the next step and is marked on the charts.
      </p>
      <Controls />
      <Race />
      <RunList />
      <RecordedToggle
        about={({ race }) =>
          `the race ${race.lanes.map((l) => l.label).join(" against ")}, ${race.steps} steps on the ${LANGUAGE_NAMES[race.corpus]} corpus (seed ${race.seed}), trained with this page's code by npm run models -- recorded (dashed).`
        }
      />
      <div className="charts">
        {CHARTS.map((c) => (
          <MetricChart key={c.key} series={c} runs={runs} recorded={recorded?.race.lanes ?? []} />
        ))}
      </div>
    </section>
  );
}
