import { shuffled } from "./common";
import type { Fit } from "./options";

/** One-vs-rest linear SVM, SGD on hinge loss + (λ/2)‖w‖². */
export const fitSvm: Fit = function* (xs, ys, o) {
  const lambda = o.regularization ?? 1e-4;
  const epochs = o.epochs ?? 30;
  const C = o.classCount;
  const weights = Array.from({ length: C }, () => new Float64Array(o.dimension));
  const bias = new Array(C).fill(0);
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffled(xs.length, (o.seed ?? 0) + epoch)) {
      const lr = (o.learningRate ?? 0.5) / (1 + 0.01 * t++);
      const x = xs[i];
      for (let c = 0; c < C; c++) {
        const y = ys[i] === c ? 1 : -1;
        const w = weights[c];
        const margin = y * x.indices.reduce((s, id, k) => s + w[id] * x.values[k], bias[c]);
        // Weight decay applied lazily to the touched coordinates keeps each update sparse.
        for (const id of x.indices) w[id] *= 1 - lr * lambda;
        if (margin < 1) {
          bias[c] += lr * y * 0.1;
          for (let k = 0; k < x.indices.length; k++) w[x.indices[k]] += lr * y * x.values[k];
        }
      }
    }
    yield (epoch + 1) / epochs;
  }
  return { weights, bias };
};
