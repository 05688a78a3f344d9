/** Calibration of the "none of these" thresholds on held-out texts. */
import type { Router } from "./model";
import type { RouterExample } from "./reading";
import type { NoneThreshold } from "./router-file";

/**
 * The "none of these" thresholds, one per snippet length: at each length, the none probability
 * that at most `maxFalseNone` of the held-out texts of the router's own classes reach, and at
 * least 1/2 (none must outweigh all the classes together).
 */
export function chooseNoneThresholds(
  router: Router,
  evalByLength: Map<number, RouterExample[]>,
  maxFalseNone: number,
): NoneThreshold[] {
  const none = router.classes.find((c) => c.expert === null);
  if (!none) return [];
  const thresholds: NoneThreshold[] = [];
  for (const [chars, all] of [...evalByLength].sort(([a], [b]) => a - b)) {
    const examples = all.filter((e) => e.label !== none.id);
    if (examples.length === 0) continue;
    const p = examples.map((e) => router.predict(e).probs[none.id]).sort((a, b) => b - a);
    // Texts strictly above the threshold are called none: allow floor(max · n) of them.
    const allowed = Math.floor(maxFalseNone * p.length);
    const probability = Math.min(1, Math.max(0.5, p[allowed] + 1e-9));
    thresholds.push({ chars, probability: Number(probability.toPrecision(6)) });
  }
  return thresholds;
}
