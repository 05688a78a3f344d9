/** How well a router does: precision, recall, F1 and confusion; accuracy and none rate by length. */
import { LANGUAGES } from "../languages";
import { NONE } from "./classes";
import type { Router } from "./model";
import type { RouterExample } from "./reading";

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Per-class precision, recall and F1, their support-weighted means, accuracy and the confusion
 * matrix ([true][predicted], in the order of `classes`; labels outside it are ignored).
 */
export function classificationReport(
  truth: readonly string[],
  predicted: readonly string[],
  classes: readonly string[] = LANGUAGES,
) {
  const confusion = classes.map(() => classes.map(() => 0));
  let counted = 0;
  let correct = 0;
  truth.forEach((t, i) => {
    const row = classes.indexOf(t);
    const column = classes.indexOf(predicted[i]);
    if (row < 0) return;
    counted++;
    if (t === predicted[i]) correct++;
    if (column >= 0) confusion[row][column]++;
  });
  const perClass: Record<string, ClassReport> = {};
  const weighted = { precision: 0, recall: 0, f1: 0 };
  classes.forEach((id, c) => {
    const tp = confusion[c][c];
    const support = truth.filter((t) => t === id).length;
    const predictedCount = confusion.reduce((s, row) => s + row[c], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[id] = { precision, recall, f1, support };
    const share = counted ? support / counted : 0;
    weighted.precision += precision * share;
    weighted.recall += recall * share;
    weighted.f1 += f1 * share;
  });
  return { accuracy: counted ? correct / counted : 0, perClass, weighted, confusion };
}

export interface RouterScore {
  accuracyByLength: Record<number, number>;
  /** Precision, recall, F1 and confusion on every snippet of at least 100 characters. */
  report: ReturnType<typeof classificationReport>;
}

/** Accuracy by snippet length, and the report on snippets of at least 100 characters. */
export function scoreRouter(
  router: Router,
  evalByLength: Map<number, RouterExample[]>,
): RouterScore {
  const classes = router.classes.map((c) => c.id);
  const accuracyByLength: Record<number, number> = {};
  const long: RouterExample[] = [];
  for (const [length, examples] of evalByLength) {
    const predicted = examples.map((e) => router.predict(e).label);
    accuracyByLength[length] = classificationReport(
      examples.map((e) => e.label),
      predicted,
      classes,
    ).accuracy;
    if (length >= 100) long.push(...examples);
  }
  const report = classificationReport(
    long.map((e) => e.label),
    long.map((e) => router.predict(e).label),
    classes,
  );
  return { accuracyByLength, report };
}

/** Share of examples for which `hit` holds, by snippet length. */
function shareByLength(
  byLength: Map<number, RouterExample[]>,
  hit: (e: RouterExample) => boolean,
): Record<number, number> {
  const out: Record<number, number> = {};
  for (const [length, examples] of byLength)
    out[length] = examples.length ? examples.filter(hit).length / examples.length : 0;
  return out;
}

/** Share of examples the router calls none, by snippet length. */
export const noneRateByLength = (router: Router, byLength: Map<number, RouterExample[]>) =>
  shareByLength(byLength, (e) => router.predict(e).label === NONE);

/** Share of examples the router labels correctly, by snippet length. */
export const accuracyByLength = (router: Router, byLength: Map<number, RouterExample[]>) =>
  shareByLength(byLength, (e) => router.predict(e).label === e.label);
