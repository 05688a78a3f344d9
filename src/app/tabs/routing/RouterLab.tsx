import i18next from "i18next";
import { useRef } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { LabRouterReport } from "../../../ml/router";
import { useAppStore } from "../../app-store";
import { ChartExport } from "../../ChartExport";
import { seriesColour } from "../../chart-colours";
import { Select } from "../../fields";
import { numberFormat, useNumbers, useT, wordsOf } from "../../i18n";
import type { Translate } from "../../i18n/catalogues";
import { useClassName } from "../../languages";
import type { RouterLab as RouterLabState } from "./router-lab";

const CLASSIFIER_NAMES = {
  logreg: "lab.logreg",
  nb: "lab.nb",
  svm: "lab.svm",
} as const;
const FEATURE_NAMES = {
  tokens: "lab.features.tokens",
  "tokens+chars": "lab.features.all",
} as const;

function AccuracyChart({ report }: { report: LabRouterReport }) {
  const t = useT();
  const { percent } = useNumbers();
  const data = Object.entries(report.accuracyByLength).map(([length, accuracy]) => ({
    length: `${length}`,
    accuracy,
  }));
  const figure = useRef<HTMLElement>(null);
  return (
    <figure aria-label={t("lab.accuracyChart")} className="chart" ref={figure}>
      <ChartExport
        figure={figure}
        name="router-accuracy"
        title={t("lab.accuracyChart")}
        csv={() => [
          [t("lab.characters"), t("lab.accuracy")],
          ...data.map((d) => [d.length, d.accuracy]),
        ]}
      />
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="length"
            label={{ value: t("lab.characters"), position: "insideBottomRight", dy: 8 }}
          />
          <YAxis
            domain={[(min: number) => Math.max(0, Math.floor(min * 10) / 10), 1]}
            tickFormatter={(v: number) => percent(v, 0)}
            width={56}
          />
          <Line
            dataKey="accuracy"
            name={t("lab.accuracy")}
            stroke={seriesColour(0)}
            strokeWidth={2}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <figcaption>
        {t("lab.accuracyCaption", {
          figures: data
            .map((d) => t("lab.accuracyAt", { length: d.length, share: percent(d.accuracy) }))
            .join(", "),
        })}
      </figcaption>
    </figure>
  );
}

function Confusion({ report }: { report: LabRouterReport }) {
  const t = useT();
  const className = useClassName();
  return (
    <table aria-label={t("lab.confusion")}>
      <caption>{t("lab.confusionCaption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("lab.trueRouted")}</th>
          {report.classes.map((c) => (
            <th scope="col" key={c}>
              {className(c)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {report.classes.map((c, i) => (
          <tr key={c}>
            <th scope="row">{className(c)}</th>
            {report.report.confusion[i].map((n, j) => (
              <td key={report.classes[j]}>{n}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PerClass({ report }: { report: LabRouterReport }) {
  const t = useT();
  const className = useClassName();
  const { number } = useNumbers();
  const r = report.report;
  return (
    <table aria-label={t("lab.perClass")}>
      <thead>
        <tr>
          <th scope="col">{t("lab.class")}</th>
          <th scope="col">{t("lab.precision")}</th>
          <th scope="col">{t("lab.recall")}</th>
          <th scope="col">F1</th>
        </tr>
      </thead>
      <tbody>
        {report.classes.map((c) => (
          <tr key={c}>
            <th scope="row">{className(c)}</th>
            <td>{number(r.perClass[c].precision, 3)}</td>
            <td>{number(r.perClass[c].recall, 3)}</td>
            <td>{number(r.perClass[c].f1, 3)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t("lab.weighted")}</th>
          <td>{number(r.weighted.precision, 3)}</td>
          <td>{number(r.weighted.recall, 3)}</td>
          <td>{number(r.weighted.f1, 3)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** What the lab's router is and how well it does. */
function reportLine(
  t: Translate,
  language: string,
  report: LabRouterReport,
  trained: NonNullable<RouterLabState["trained"]>,
  inUse: boolean,
): string {
  const numbers = numberFormat(language);
  return `${t("lab.report", {
    classifier: t(CLASSIFIER_NAMES[trained.kind]),
    features: t(FEATURE_NAMES[trained.features]),
    seconds: numbers.number(report.seconds, 1),
    snippets: report.trainingExamples,
    share: numbers.percent(report.report.accuracy),
  })} ${inUse ? t("lab.usingLab") : t("lab.usingShipped")}`;
}

/** Train a router live on the bundled corpora, compare it with the shipped one, route with it. */
export function RouterLab() {
  const t = useT();
  const { percent } = useNumbers();
  const lab = useAppStore((s) => s.routerLab);
  const train = useAppStore((s) => s.trainLabRouter);
  const stop = useAppStore((s) => s.stopLabRouter);
  const use = useAppStore((s) => s.routeWithLabRouter);
  const training = lab.state === "training";
  return (
    <section aria-labelledby="router-lab-title" className="router-lab">
      <h3 id="router-lab-title">{t("lab.title")}</h3>
      <p>{t("lab.intro")}</p>
      <div className="form">
        <Select
          name="routerKind"
          label={t("lab.classifier")}
          labels={wordsOf(t, CLASSIFIER_NAMES)}
        />
        <Select
          name="routerFeatures"
          label={t("lab.features")}
          labels={wordsOf(t, FEATURE_NAMES)}
        />
      </div>
      <p>
        <button type="button" onClick={train} disabled={training}>
          {t("lab.train")}
        </button>{" "}
        <button type="button" onClick={stop} disabled={!training}>
          {t("run.stop")}
        </button>{" "}
        {training && <progress aria-label={t("lab.progress")} max={1} value={lab.progress} />}
      </p>
      <p role="status" aria-label={t("lab.status")}>
        {training
          ? t("lab.training", { share: percent(lab.progress, 0) })
          : lab.state === "failed"
            ? t("lab.failed", { why: lab.message ?? "" })
            : [
                lab.message,
                lab.report &&
                  lab.trained &&
                  reportLine(t, i18next.language, lab.report, lab.trained, lab.inUse),
              ]
                .filter(Boolean)
                .join(" ")}
      </p>
      {lab.report && (
        <>
          <p>
            <button type="button" onClick={() => use(!lab.inUse)}>
              {lab.inUse ? t("lab.restoreShipped") : t("lab.useLab")}
            </button>
          </p>
          <AccuracyChart report={lab.report} />
          <Confusion report={lab.report} />
          <PerClass report={lab.report} />
        </>
      )}
    </section>
  );
}
