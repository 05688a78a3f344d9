/**
 * Small statistics for scoring on held-out sets of a few hundred texts, where one text is
 * 0.4 point: how sure a rate is, and whether two classifiers differ on the same texts.
 */

/**
 * Wilson's score interval for a rate of `successes` out of `n` (95 % by default): unlike the
 * normal approximation it stays inside [0, 1] and is sensible near 0 % and 100 %.
 */
export function wilsonInterval(successes: number, n: number, z = 1.959964): [number, number] {
  if (n <= 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * McNemar's exact test (two-sided) on paired outcomes: `onlyA` texts that A gets right and B
 * wrong, `onlyB` the reverse. Under "A and B are as good", each such text is a fair coin, so
 * p = 2 · P(Binomial(onlyA + onlyB, ½) ≤ min(onlyA, onlyB)), at most 1.
 */
export function mcnemarExact(onlyA: number, onlyB: number): number {
  const n = onlyA + onlyB;
  const k = Math.min(onlyA, onlyB);
  // Sum C(n, i) / 2^n for i ≤ k in log space: 2^-n underflows past a thousand texts.
  let logTerm = -n * Math.LN2; // i = 0
  let tail = Math.exp(logTerm);
  for (let i = 1; i <= k; i++) {
    logTerm += Math.log((n - i + 1) / i);
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}

export interface PairedComparison {
  /** Share right: A's, B's. */
  a: number;
  b: number;
  /** Items only A gets right, only B. */
  onlyA: number;
  onlyB: number;
  /** McNemar's exact p for "A and B are as good". */
  p: number;
}

/** Two classifiers on the same items, from [A right, B right] per item. */
export function pairedComparison(
  outcomes: readonly (readonly [boolean, boolean])[],
): PairedComparison {
  let rightA = 0;
  let rightB = 0;
  let onlyA = 0;
  let onlyB = 0;
  for (const [a, b] of outcomes) {
    rightA += Number(a);
    rightB += Number(b);
    onlyA += Number(a && !b);
    onlyB += Number(b && !a);
  }
  const n = Math.max(1, outcomes.length);
  return { a: rightA / n, b: rightB / n, onlyA, onlyB, p: mcnemarExact(onlyA, onlyB) };
}
