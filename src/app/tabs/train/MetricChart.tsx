/** The Train tab's live charts: one metric of every run (and the recorded race, dashed). */
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
import type { StepMetrics } from "../../../ml/train";
import { ChartExport } from "../../ChartExport";
import { seriesColour } from "../../chart-colours";
import { useNumbers, useT } from "../../i18n";
import type { TextKey } from "../../i18n/catalogues";
import { useChartHeight } from "../../Presenter";
import type { Run } from "./runs";

/** The decimals that `v` to 3 significant figures needs (0.0123 → 4, 12.3 → 1, 1230 → 0). */
const decimalsOf = (v: number) =>
  v === 0 ? 0 : Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(Math.abs(v)))));

export type Series = { key: keyof StepMetrics; title: TextKey };
export const CHARTS: Series[] = [
  { key: "ce", title: "chart.ce" },
  { key: "kd", title: "chart.kd" },
  { key: "total", title: "chart.total" },
  { key: "alpha", title: "chart.alpha" },
  { key: "valPerplexity", title: "chart.perplexity" },
];

export function MetricChart({
  series,
  runs,
  recorded,
}: {
  series: Series;
  runs: Run[];
  recorded: { label: string; metrics: StepMetrics[] }[];
}) {
  const t = useT();
  const { number } = useNumbers();
  const title = t(series.title);
  const has = (m: StepMetrics) => m[series.key] !== null && m[series.key] !== undefined;
  const shown = runs.filter((r) => r.metrics.some(has));
  const recordedShown = recorded
    .map((lane) => ({
      label: t("chart.recorded", { label: lane.label }),
      metrics: lane.metrics.filter(has),
    }))
    .filter((lane) => lane.metrics.length > 0);
  const height = useChartHeight(200);
  const figure = useRef<HTMLElement>(null);
  const csv = () => [
    [t("chart.run"), t("chart.step"), title],
    ...[...shown, ...recordedShown].flatMap((run) =>
      run.metrics.filter(has).map((m) => [run.label, m.step, m[series.key] as number]),
    ),
  ];
  return (
    <figure
      className="chart"
      data-metric={series.key}
      aria-label={t("chart.label", { title })}
      ref={figure}
    >
      <figcaption>
        {title}{" "}
        {shown.length + recordedShown.length > 0 && (
          <ChartExport figure={figure} name={`training-${series.key}`} title={title} csv={csv} />
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
            // Perplexity falls by orders of magnitude at first: on a log axis the end still shows.
            scale={series.key === "valPerplexity" ? "log" : "auto"}
            domain={["auto", "auto"]}
            tickFormatter={(v: number) => number(Number(v.toPrecision(3)), decimalsOf(v))}
          />
          <Tooltip formatter={(v) => (typeof v === "number" ? number(v, 3) : v)} />
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
