import { useEffect, useRef } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ForgettingResult } from "../../../ml/experiments";
import { useAppStore } from "../../app-store";
import { ChartExport, tableOf } from "../../ChartExport";
import { seriesColour } from "../../chart-colours";
import { duration } from "../../fields";
import { LANGUAGE_COLOURS, LANGUAGE_NAMES, LANGUAGES } from "../../languages";
import { useChartHeight } from "../../Presenter";
import { RecordedToggle, useRecorded } from "../../RecordedRuns";
import { forgettingCaption } from "./forgetting";

/** Validation perplexity of each language after each phase: sequential solid, balanced dashed. */
function PhaseChart({
  result,
  recorded,
  label = "Perplexity after each phase",
}: {
  result?: ForgettingResult;
  /** A recorded run of the same experiment, drawn dotted and labelled "recorded". */
  recorded?: ForgettingResult;
  label?: string;
}) {
  const order = (result ?? recorded)?.order ?? [];
  const data = order.map((lang, phase) => ({
    phase: `after ${lang}`,
    ...Object.fromEntries(
      LANGUAGES.flatMap((l) => [
        [`sequential ${l}`, result?.sequential[phase]?.[l]],
        [`balanced ${l}`, result?.balanced[phase]?.[l]],
        [`recorded: sequential ${l}`, recorded?.sequential[phase]?.[l]],
      ]),
    ),
  }));
  const height = useChartHeight(320);
  const figure = useRef<HTMLElement>(null);
  return (
    <figure aria-label={label} className="chart" ref={figure}>
      <ChartExport figure={figure} name="forgetting" csv={() => tableOf(data)} />
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="phase" />
          <YAxis scale="log" domain={["auto", "auto"]} allowDataOverflow width={56} />
          <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(1) : String(v))} />
          <Legend />
          {recorded &&
            LANGUAGES.map((l) => (
              <Line
                key={`r${l}`}
                dataKey={`recorded: sequential ${l}`}
                stroke={LANGUAGE_COLOURS[l]}
                strokeDasharray="2 3"
                strokeOpacity={0.7}
                isAnimationActive={false}
                connectNulls
              />
            ))}
          {result &&
            LANGUAGES.flatMap((l) => [
              <Line
                key={`s${l}`}
                dataKey={`sequential ${l}`}
                stroke={LANGUAGE_COLOURS[l]}
                strokeWidth={2}
                isAnimationActive={false}
                connectNulls
              />,
              <Line
                key={`b${l}`}
                dataKey={`balanced ${l}`}
                stroke={LANGUAGE_COLOURS[l]}
                strokeDasharray="6 4"
                isAnimationActive={false}
                connectNulls
              />,
            ])}
        </LineChart>
      </ResponsiveContainer>
      <figcaption>
        Validation perplexity (log scale) of each language after each phase: solid, one student
        trained on the languages in sequence ({order.join(" → ")}); dashed, the same student with
        batches from every language in turn, scored after each quarter
        {recorded && "; dotted, the recorded run's student trained in sequence"}.
      </figcaption>
    </figure>
  );
}

/** The numbers behind the chart, and the experts', as a table. */
function PhaseTable({
  result,
  label = "Forgetting results",
}: {
  result: ForgettingResult;
  label?: string;
}) {
  const f = (v: number | undefined) => (v === undefined ? "—" : v.toFixed(1));
  const rows: [string, Partial<Record<string, number>>][] = [
    ...result.sequential.map((p, i): [string, Partial<Record<string, number>>] => [
      `Sequential, after ${result.order[i]}`,
      p,
    ]),
    ...result.balanced.map((p, i): [string, Partial<Record<string, number>>] => [
      `Balanced, after quarter ${i + 1}`,
      p,
    ]),
    ["Experts behind the router", result.moe],
  ];
  return (
    <div className="scroll-x">
      <table aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Model</th>
            {LANGUAGES.map((l) => (
              <th scope="col" key={l}>
                {LANGUAGE_NAMES[l]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, p]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              {LANGUAGES.map((l) => (
                <td key={l}>{f(p[l])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunProgress() {
  const run = useAppStore((s) => s.forgettingRun);
  if (run.state === "preparing")
    return (
      <p role="status" aria-label="Forgetting progress">
        Preparing: {run.label}…
      </p>
    );
  if (run.state !== "running") return null;
  const elapsed = (Date.now() - (run.startedAt ?? Date.now())) / 1000;
  const left = run.done > 0 ? (elapsed / run.done) * (run.total - run.done) : null;
  return (
    <span className="progress">
      <progress aria-label="Forgetting run" max={run.total || 1} value={run.done} />
      <span role="status" aria-label="Forgetting progress">
        Step {run.done} of {run.total} ({run.label})
        {left !== null && ` · about ${duration(left)} left`}
      </span>
    </span>
  );
}

const SETUPS = [
  {
    key: "ple",
    name: "PLE",
    what: "Pre-trained Language Experts: one student per language, each distilled on its language alone.",
  },
  {
    key: "jeet",
    name: "JEET",
    what: "Joint Expert Embedding Training: the language experts share one embedding, trained in turn.",
  },
  {
    key: "moeCe",
    name: "MoE-CE",
    what: "MoE with a Common Expert: each text goes to its language expert and to a common expert trained on every language; their hidden states are averaged.",
  },
] as const;

/** `npm run reproduce`'s MoE set-ups and forgetting study, from public/results/experiments.json. */
function ReproducedStudies() {
  const experiments = useAppStore((s) => s.experiments);
  const load = useAppStore((s) => s.loadExperiments);
  const setupsFigure = useRef<HTMLElement>(null);
  useEffect(() => {
    void load();
  }, [load]);
  if (experiments.state === "error")
    return <p role="alert">The reproduced studies could not load: {experiments.message}</p>;
  if (experiments.state !== "ready") return <p>Loading the reproduced studies…</p>;
  const { moe, forgetting } = experiments.value;
  const data: Record<string, string | number>[] = LANGUAGES.map((l) => ({
    language: LANGUAGE_NAMES[l],
    ...Object.fromEntries(SETUPS.map((s) => [s.name, moe.result.routed[s.key][l] ?? Number.NaN])),
  }));
  return (
    <section aria-labelledby="reproduced-title">
      <h3 id="reproduced-title">The paper's set-ups, as `npm run reproduce` measured them</h3>
      <p>
        Bigger students ({moe.settings.train.steps} steps per language) trained offline with the
        same code; every text goes to the expert the router picks. Validation perplexity (lower is
        better):
      </p>
      <ul>
        {SETUPS.map((s) => (
          <li key={s.key}>
            <strong>{s.name}</strong>: {s.what}
          </li>
        ))}
      </ul>
      <figure aria-label="MoE set-ups" className="chart" ref={setupsFigure}>
        <ChartExport figure={setupsFigure} name="moe-setups" csv={() => tableOf(data)} />
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="language" />
            <YAxis width={56} />
            <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(1) : String(v))} />
            <Legend />
            {SETUPS.map((s, i) => (
              <Bar key={s.key} dataKey={s.name} fill={seriesColour(i)} isAnimationActive={false} />
            ))}
          </BarChart>
        </ResponsiveContainer>
        <figcaption>
          {data
            .map(
              (d) =>
                `${d.language}: ${SETUPS.map((s) => `${s.name} ${Number(d[s.name]).toFixed(1)}`).join(", ")}`,
            )
            .join("; ")}
          .
        </figcaption>
      </figure>
      <p>The forgetting study at that size ({forgetting.settings.train.steps} steps a phase):</p>
      <PhaseChart result={forgetting.result} label="Reproduced forgetting study" />
      <PhaseTable result={forgetting.result} label="Reproduced forgetting results" />
    </section>
  );
}

export function ForgettingPanel() {
  const run = useAppStore((s) => s.forgettingRun);
  const start = useAppStore((s) => s.runForgetting);
  const stop = useAppStore((s) => s.stopForgetting);
  const steps = useAppStore((s) => s.settings.forgetSteps);
  const busy = run.state === "preparing" || run.state === "running";
  const caption = run.result ? forgettingCaption(run.result) : null;
  const recorded = useRecorded();
  return (
    <section aria-labelledby="forget-title" className="panel">
      <h2 id="forget-title">Forgetting</h2>
      <p className="intro">
        The paper's claim: separate experts behind a router don't forget, while one shared model
        trained on one language after another forgets the earlier ones. This trains, here and now, a
        small student on the four bundled corpora in sequence (English → French → German → Python),
        the same student with balanced batches, and four experts behind the router — {steps} steps
        each phase, with the code <code>npm run reproduce</code> runs.
      </p>
      <p className="actions">
        <button type="button" data-lesson="forget-run" onClick={start} disabled={busy}>
          Run forgetting experiment
        </button>{" "}
        {busy && (
          <button type="button" onClick={stop}>
            Stop
          </button>
        )}
      </p>
      <RunProgress />
      {run.state === "failed" && <p role="alert">The run failed: {run.message}</p>}
      {run.state === "stopped" && (
        <p className="note">Stopped: the phases done so far are shown.</p>
      )}
      <RecordedToggle
        about={({ forgetting }) =>
          `this experiment at ${forgetting.stepsPerPhase} steps a phase (seed ${forgetting.seed}), trained with this page's code by npm run models -- recorded (dotted).`
        }
      />
      {((run.result && run.result.sequential.length > 0) || recorded) && (
        <PhaseChart
          result={run.result && run.result.sequential.length > 0 ? run.result : undefined}
          recorded={recorded?.forgetting.result}
        />
      )}
      {caption && (
        <p className="decision" role="status" aria-label="What the run shows">
          {caption}
        </p>
      )}
      {run.result && run.result.sequential.length > 0 && <PhaseTable result={run.result} />}
      {run.state === "done" && run.result && (
        <p className="note">Finished in {duration(run.result.seconds)}.</p>
      )}
      <ReproducedStudies />
    </section>
  );
}
