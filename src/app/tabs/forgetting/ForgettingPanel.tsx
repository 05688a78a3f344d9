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
import { useNumbers, useT } from "../../i18n";
import { Rich } from "../../i18n/Rich";
import { LANGUAGE_COLOURS, LANGUAGES, useClassName } from "../../languages";
import { useChartHeight } from "../../Presenter";
import { RecordedToggle, useRecorded } from "../../RecordedRuns";
import { forgettingCaption } from "./forgetting";

/** Validation perplexity of each language after each phase: sequential solid, balanced dashed. */
function PhaseChart({
  result,
  recorded,
  label,
}: {
  result?: ForgettingResult;
  /** A recorded run of the same experiment, drawn dotted and labelled "recorded". */
  recorded?: ForgettingResult;
  label?: string;
}) {
  const t = useT();
  const { number } = useNumbers();
  const className = useClassName();
  const title = label ?? t("forget.chart");
  const order = (result ?? recorded)?.order ?? [];
  const series = (kind: "sequential" | "balanced" | "recorded", l: string) =>
    kind === "sequential"
      ? t("forget.sequential", { language: className(l) })
      : kind === "balanced"
        ? t("forget.balanced", { language: className(l) })
        : t("forget.recordedSequential", { language: className(l) });
  const columns: [string, string][] = [
    ["phase", t("forget.phase")],
    ...LANGUAGES.flatMap((l): [string, string][] => [
      [`sequential ${l}`, series("sequential", l)],
      [`balanced ${l}`, series("balanced", l)],
      [`recorded: sequential ${l}`, series("recorded", l)],
    ]),
  ];
  const data = order.map((lang, phase) => ({
    phase: t("forget.after", { language: className(lang) }),
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
    <figure aria-label={title} className="chart" ref={figure}>
      <ChartExport
        figure={figure}
        name="forgetting"
        title={title}
        csv={() => tableOf(data, columns)}
      />
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="phase" />
          <YAxis
            scale="log"
            domain={["auto", "auto"]}
            allowDataOverflow
            width={56}
            tickFormatter={(v: number) => number(v)}
          />
          <Tooltip formatter={(v) => (typeof v === "number" ? number(v, 1) : String(v))} />
          <Legend />
          {recorded &&
            LANGUAGES.map((l) => (
              <Line
                key={`r${l}`}
                dataKey={`recorded: sequential ${l}`}
                name={series("recorded", l)}
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
                name={series("sequential", l)}
                stroke={LANGUAGE_COLOURS[l]}
                strokeWidth={2}
                isAnimationActive={false}
                connectNulls
              />,
              <Line
                key={`b${l}`}
                dataKey={`balanced ${l}`}
                name={series("balanced", l)}
                stroke={LANGUAGE_COLOURS[l]}
                strokeDasharray="6 4"
                isAnimationActive={false}
                connectNulls
              />,
            ])}
        </LineChart>
      </ResponsiveContainer>
      <figcaption>
        {t(recorded ? "forget.chartCaptionRecorded" : "forget.chartCaption", {
          order: order.map((l) => className(l)).join(" → "),
        })}
      </figcaption>
    </figure>
  );
}

/** The numbers behind the chart, and the experts', as a table. */
function PhaseTable({ result, label }: { result: ForgettingResult; label?: string }) {
  const t = useT();
  const { number } = useNumbers();
  const className = useClassName();
  const f = (v: number | undefined) => (v === undefined ? "—" : number(v, 1));
  const rows: [string, Partial<Record<string, number>>][] = [
    ...result.sequential.map((p, i): [string, Partial<Record<string, number>>] => [
      t("forget.rowSequential", { language: className(result.order[i]) }),
      p,
    ]),
    ...result.balanced.map((p, i): [string, Partial<Record<string, number>>] => [
      t("forget.rowBalanced", { quarter: i + 1 }),
      p,
    ]),
    [t("forget.rowExperts"), result.moe],
  ];
  return (
    <div className="scroll-x">
      <table aria-label={label ?? t("forget.results")}>
        <thead>
          <tr>
            <th scope="col">{t("forget.model")}</th>
            {LANGUAGES.map((l) => (
              <th scope="col" key={l}>
                {className(l)}
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
  const t = useT();
  const run = useAppStore((s) => s.forgettingRun);
  if (run.state === "preparing")
    return (
      <p role="status" aria-label={t("forget.progress")}>
        {t("forget.preparing", { what: run.label })}
      </p>
    );
  if (run.state !== "running") return null;
  const elapsed = (Date.now() - (run.startedAt ?? Date.now())) / 1000;
  const left = run.done > 0 ? (elapsed / run.done) * (run.total - run.done) : null;
  return (
    <span className="progress">
      <progress aria-label={t("forget.run")} max={run.total || 1} value={run.done} />
      <span role="status" aria-label={t("forget.progress")}>
        {t("run.step", { step: run.done, total: run.total })} ({run.label})
        {left !== null && ` · ${t("run.left", { duration: duration(left) })}`}
      </span>
    </span>
  );
}

const SETUPS = [
  { key: "ple", name: "PLE", what: "setup.ple" },
  { key: "jeet", name: "JEET", what: "setup.jeet" },
  { key: "moeCe", name: "MoE-CE", what: "setup.moeCe" },
] as const;

/** `npm run reproduce`'s MoE set-ups and forgetting study, from public/results/experiments.json. */
function ReproducedStudies() {
  const t = useT();
  const { number } = useNumbers();
  const className = useClassName();
  const experiments = useAppStore((s) => s.experiments);
  const load = useAppStore((s) => s.loadExperiments);
  const setupsFigure = useRef<HTMLElement>(null);
  useEffect(() => {
    void load();
  }, [load]);
  if (experiments.state === "error")
    return <p role="alert">{t("setup.failed", { why: experiments.message })}</p>;
  if (experiments.state !== "ready") return <p>{t("setup.loading")}</p>;
  const { moe, forgetting } = experiments.value;
  const data: Record<string, string | number>[] = LANGUAGES.map((l) => ({
    language: className(l),
    ...Object.fromEntries(SETUPS.map((s) => [s.name, moe.result.routed[s.key][l] ?? Number.NaN])),
  }));
  return (
    <section aria-labelledby="reproduced-title">
      <h3 id="reproduced-title">{t("setup.title")}</h3>
      <p>{t("setup.intro", { steps: moe.settings.train.steps })}</p>
      <ul>
        {SETUPS.map((s) => (
          <li key={s.key}>
            <strong>{s.name}</strong>: {t(s.what)}
          </li>
        ))}
      </ul>
      <figure aria-label={t("setup.chart")} className="chart" ref={setupsFigure}>
        <ChartExport
          figure={setupsFigure}
          name="moe-setups"
          title={t("setup.chart")}
          csv={() =>
            tableOf(data, [
              ["language", t("setup.language")],
              ...SETUPS.map((s): [string, string] => [s.name, s.name]),
            ])
          }
        />
        <ResponsiveContainer width="100%" height={260}>
          <BarChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="language" />
            <YAxis width={56} tickFormatter={(v: number) => number(v)} />
            <Tooltip formatter={(v) => (typeof v === "number" ? number(v, 1) : String(v))} />
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
                `${d.language}: ${SETUPS.map((s) => `${s.name} ${number(Number(d[s.name]), 1)}`).join(", ")}`,
            )
            .join("; ")}
          .
        </figcaption>
      </figure>
      <p>{t("setup.forgetting", { steps: forgetting.settings.train.steps })}</p>
      <PhaseChart result={forgetting.result} label={t("setup.forgettingChart")} />
      <PhaseTable result={forgetting.result} label={t("setup.forgettingTable")} />
    </section>
  );
}

export function ForgettingPanel() {
  const t = useT();
  const run = useAppStore((s) => s.forgettingRun);
  const start = useAppStore((s) => s.runForgetting);
  const stop = useAppStore((s) => s.stopForgetting);
  const steps = useAppStore((s) => s.settings.forgetSteps);
  const busy = run.state === "preparing" || run.state === "running";
  const caption = run.result ? forgettingCaption(run.result) : null;
  const recorded = useRecorded();
  return (
    <section aria-labelledby="forget-title" className="panel">
      <h2 id="forget-title">{t("tab.forget")}</h2>
      <p className="intro">
        <Rich k="forget.intro" values={{ steps }} components={{ code: <code /> }} />
      </p>
      <p className="actions">
        <button type="button" data-lesson="forget-run" onClick={start} disabled={busy}>
          {t("forget.start")}
        </button>{" "}
        {busy && (
          <button type="button" onClick={stop}>
            {t("run.stop")}
          </button>
        )}
      </p>
      <RunProgress />
      {run.state === "failed" && (
        <p role="alert">{t("forget.failed", { why: run.message ?? "" })}</p>
      )}
      {run.state === "stopped" && <p className="note">{t("forget.stopped")}</p>}
      <RecordedToggle
        about={({ forgetting }) =>
          t("forget.recorded", { steps: forgetting.stepsPerPhase, seed: forgetting.seed })
        }
      />
      {((run.result && run.result.sequential.length > 0) || recorded) && (
        <PhaseChart
          result={run.result && run.result.sequential.length > 0 ? run.result : undefined}
          recorded={recorded?.forgetting.result}
        />
      )}
      {caption && (
        <p className="decision" role="status" aria-label={t("forget.shows")}>
          {caption}
        </p>
      )}
      {run.result && run.result.sequential.length > 0 && <PhaseTable result={run.result} />}
      {run.state === "done" && run.result && (
        <p className="note">{t("forget.finished", { duration: duration(run.result.seconds) })}</p>
      )}
      <ReproducedStudies />
    </section>
  );
}
