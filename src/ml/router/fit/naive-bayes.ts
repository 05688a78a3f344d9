import type { Fit } from "./options";

/** Multinomial Naive Bayes on the features with additive smoothing. */
export const fitNaiveBayes: Fit = function* (xs, ys, o) {
  const smoothing = o.regularization ?? 0.01;
  const C = o.classCount;
  const featureSums = Array.from({ length: C }, () => new Float64Array(o.dimension));
  const classCounts = new Array(C).fill(0);
  xs.forEach((x, i) => {
    classCounts[ys[i]]++;
    x.indices.forEach((id, k) => {
      featureSums[ys[i]][id] += x.values[k];
    });
  });
  const weights = featureSums.map((sums) => {
    const total = sums.reduce((s, v) => s + v, 0) + smoothing * o.dimension;
    return sums.map((v) => Math.log((v + smoothing) / total));
  });
  const bias = classCounts.map((n) => Math.log(n / xs.length));
  yield 1;
  return { weights, bias };
};
