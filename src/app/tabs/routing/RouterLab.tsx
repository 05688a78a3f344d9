import { useRef } from "react";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, XAxis, YAxis } from "recharts";
import type { LabRouterReport } from "../../../ml/router";
import { useAppStore } from "../../app-store";
import { ChartExport } from "../../ChartExport";
import { seriesColour } from "../../chart-colours";
import { Select } from "../../fields";
import { LANGUAGE_NAMES } from "../../languages";
import type { RouterLab as RouterLabState } from "./router-lab";

const CLASSIFIER_NAMES = {
  logreg: "Logistic regression",
  nb: "Naive Bayes",
  svm: "Linear SVM",
};
const FEATURE_NAMES = {
  tokens: "The paper's: TF-IDF over token ids",
  "tokens+chars": "Tokens, character n-grams, line layout and scripts, with none of these",
};
const className = (id: string) =>
  id === "none" ? "None of these" : (LANGUAGE_NAMES[id as keyof typeof LANGUAGE_NAMES] ?? id);
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

function AccuracyChart({ report }: { report: LabRouterReport }) {
  const data = Object.entries(report.accuracyByLength).map(([length, accuracy]) => ({
    length: `${length}`,
    accuracy,
  }));
  const figure = useRef<HTMLElement>(null);
  return (
    <figure aria-label="Accuracy by text length" className="chart" ref={figure}>
      <ChartExport
        figure={figure}
        name="router-accuracy"
        csv={() => [["characters", "accuracy"], ...data.map((d) => [d.length, d.accuracy])]}
      />
      <ResponsiveContainer width="100%" height={200}>
        <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="length"
            label={{ value: "characters", position: "insideBottomRight", dy: 8 }}
          />
          <YAxis
            domain={[(min: number) => Math.max(0, Math.floor(min * 10) / 10), 1]}
            tickFormatter={(v: number) => `${Math.round(v * 100)} %`}
            width={56}
          />
          <Line
            dataKey="accuracy"
            stroke={seriesColour(0)}
            strokeWidth={2}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
      <figcaption>
        Accuracy on held-out snippets by length:{" "}
        {data.map((d) => `${d.length} characters ${pct(d.accuracy)}`).join(", ")}.
      </figcaption>
    </figure>
  );
}

function Confusion({ report }: { report: LabRouterReport }) {
  return (
    <table aria-label="Confusion matrix">
      <caption>Confusion (snippets of 100 characters or more; rows: true class)</caption>
      <thead>
        <tr>
          <th scope="col">True \ routed to</th>
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
  const r = report.report;
  return (
    <table aria-label="Precision, recall and F1">
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col">Precision</th>
          <th scope="col">Recall</th>
          <th scope="col">F1</th>
        </tr>
      </thead>
      <tbody>
        {report.classes.map((c) => (
          <tr key={c}>
            <th scope="row">{className(c)}</th>
            <td>{r.perClass[c].precision.toFixed(3)}</td>
            <td>{r.perClass[c].recall.toFixed(3)}</td>
            <td>{r.perClass[c].f1.toFixed(3)}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">Weighted</th>
          <td>{r.weighted.precision.toFixed(3)}</td>
          <td>{r.weighted.recall.toFixed(3)}</td>
          <td>{r.weighted.f1.toFixed(3)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** What the lab's router is and how well it does. */
function reportLine(
  report: LabRouterReport,
  trained: NonNullable<RouterLabState["trained"]>,
  inUse: boolean,
): string {
  return `${CLASSIFIER_NAMES[trained.kind]}, ${FEATURE_NAMES[trained.features].toLowerCase()}: trained in ${report.seconds.toFixed(1)} s on ${report.trainingExamples} snippets; ${pct(report.report.accuracy)} accuracy from 100 characters. ${inUse ? "Routing with this router." : "Routing with the shipped router."}`;
}

/** Train a router live on the bundled corpora, compare it with the shipped one, route with it. */
export function RouterLab() {
  const lab = useAppStore((s) => s.routerLab);
  const train = useAppStore((s) => s.trainLabRouter);
  const stop = useAppStore((s) => s.stopLabRouter);
  const use = useAppStore((s) => s.routeWithLabRouter);
  const training = lab.state === "training";
  return (
    <section aria-labelledby="router-lab-title" className="router-lab">
      <h3 id="router-lab-title">Router lab: train your own router</h3>
      <p>
        Fit a router here, in seconds, on the bundled corpora (the last 15 % of each held out to
        score it), and route with it for this visit.
      </p>
      <div className="form">
        <Select name="routerKind" label="Classifier" labels={CLASSIFIER_NAMES} />
        <Select name="routerFeatures" label="Features" labels={FEATURE_NAMES} />
      </div>
      <p>
        <button type="button" onClick={train} disabled={training}>
          Train router
        </button>{" "}
        <button type="button" onClick={stop} disabled={!training}>
          Stop
        </button>{" "}
        {training && <progress aria-label="Router training" max={1} value={lab.progress} />}
      </p>
      <p role="status" aria-label="Router lab status">
        {training
          ? `Training: ${Math.round(100 * lab.progress)} %`
          : lab.state === "failed"
            ? `Training failed: ${lab.message}`
            : [
                lab.message,
                lab.report && lab.trained && reportLine(lab.report, lab.trained, lab.inUse),
              ]
                .filter(Boolean)
                .join(" ")}
      </p>
      {lab.report && (
        <>
          <p>
            <button type="button" onClick={() => use(!lab.inUse)}>
              {lab.inUse ? "Route with the shipped router" : "Route with this router"}
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
