/** The default router's goals (what it must reach beside eld), each with its figure and whether it is met. */

import type { Router } from "../src/ml/router";
import { pairedComparison, wilsonInterval } from "../src/ml/stats";
import {
  accuracy,
  amongProse,
  type ByLength,
  eldDetector,
  evaluateRouter,
  mergeByLength,
  PROSE,
  type RouterEvalSets,
} from "./router-eval";

/** One of the goals for the default router, as measured. */
export interface RouterGoal {
  met: boolean;
  /** What is measured, e.g. "router, Python out-of-domain, 100 characters". */
  goal: string;
  /** The router's figure, e.g. "99.0 %". */
  figure: string;
  /** What the figure must reach, e.g. "≥ eld (99.1 %)" or "≥ 99 %". */
  target: string;
  /** Against eld: texts right only for ours / only for eld, e.g. "13 / 18". */
  onlyOursOnlyEld?: string;
  /** The yardstick and the evidence behind the figure. */
  detail: string;
}

/** A goal as a line of docs/results/gates.txt (after MET or NOT MET). */
export const goalLine = (g: RouterGoal) => `${g.goal}: ${g.figure} (${g.detail})`;

/**
 * The goals for the default router: at each length at least eld's accuracy on en/fr/de
 * (validation and out-of-domain), Python ≥ 99 % from 100 characters, false "none" ≤ 1 % from 50
 * characters, true "none" ≥ 90 % from 100 characters.
 */
export function routerGoals(
  router: Router,
  sets: RouterEvalSets,
  encode: (s: string) => number[],
): RouterGoal[] {
  const detectOurs = (text: string) => router.route(text, encode).label;
  const detectAmongProse = amongProse(router, encode);
  const detectEld = eldDetector();
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
  const goals: RouterGoal[] = [];
  for (const [name, set] of [
    ["validation", sets.validation],
    ["out-of-domain", sets.outOfDomain],
    ["second out-of-domain", sets.outOfDomain2],
  ] as const) {
    const prose = mergeByLength(set, PROSE);
    const asEld = accuracy(prose, detectAmongProse);
    for (const [length, examples] of prose) {
      const paired = pairedComparison(
        examples.map((e) => [
          detectOurs(e.text as string) === e.label,
          detectEld(e.text as string) === e.label,
        ]),
      );
      goals.push({
        met: paired.a >= paired.b,
        goal: `router, en/fr/de ${name}, ${length} characters`,
        figure: pct(paired.a),
        target: `≥ eld (${pct(paired.b)})`,
        onlyOursOnlyEld: `${paired.onlyA} / ${paired.onlyB}`,
        detail: `eld ${pct(paired.b)}; goal ≥ eld; asked as eld is, among en/fr/de: ${pct(asEld[length])}; texts right only for ours / only for eld: ${paired.onlyA} / ${paired.onlyB}, McNemar p = ${paired.p.toFixed(2)}`,
      });
    }
    const pythonSet: ByLength = set.get("py") ?? new Map();
    const python = accuracy(pythonSet, detectOurs);
    for (const length of Object.keys(python)
      .map(Number)
      .filter((l) => l >= 100)) {
      const n = pythonSet.get(length)?.length ?? 0;
      const right = Math.round(python[length] * n);
      const [low, high] = wilsonInterval(right, n);
      goals.push({
        met: python[length] >= 0.99,
        goal: `router, Python ${name}, ${length} characters`,
        figure: pct(python[length]),
        target: "≥ 99 %",
        detail: `${right}/${n}, 95 % interval ${pct(low)}–${pct(high)}; goal ≥ 99 %`,
      });
    }
  }
  const result = evaluateRouter(router, sets);
  for (const [length, rate] of Object.entries(result.falseNone).filter(([l]) => Number(l) >= 50))
    goals.push({
      met: rate <= 0.01,
      goal: `router, en/fr/de/py out-of-domain texts called none, ${length} characters`,
      figure: pct(rate),
      target: "≤ 1 %",
      detail: "goal ≤ 1 %",
    });
  for (const [length, rate] of Object.entries(result.trueNone).filter(([l]) => Number(l) >= 100))
    goals.push({
      met: rate >= 0.9,
      goal: `router, other languages and code called none, ${length} characters`,
      figure: pct(rate),
      target: "≥ 90 %",
      detail: `goal ≥ 90 %; never-trained-on kinds ${pct(result.trueNoneUnseen[Number(length)])}`,
    });
  return goals;
}
