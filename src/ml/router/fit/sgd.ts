import { epochAverage, MINIBATCH, scoreGradient, shuffled } from "./common";
import type { Fit } from "./options";

/**
 * Multinomial logistic regression, minibatch SGD on mean cross-entropy + (λ/2)‖W‖², the step
 * decaying by epoch. The weight decay is kept as one scale factor (W = scale · V), so a step
 * touches only the batch's features.
 */
export const fitSgd: Fit = function* (xs, ys, o) {
  const lambda = o.regularization ?? 1e-4;
  const average = epochAverage(o);
  const C = o.classCount;
  const v = Array.from({ length: C }, () => new Float64Array(o.dimension));
  const bias = new Array(C).fill(0);
  let scale = 1;
  for (let epoch = 0; epoch < average.epochs; epoch++) {
    const lr = (o.learningRate ?? 2) / (1 + epoch * 0.2);
    const order = shuffled(xs.length, (o.seed ?? 0) + epoch);
    for (let start = 0; start < order.length; start += MINIBATCH) {
      const members = order.slice(start, start + MINIBATCH);
      const step = lr / members.length;
      const grads = members.map((i) => scoreGradient(xs[i], ys[i], v, bias, scale));
      scale *= 1 - lr * lambda;
      members.forEach((i, m) => {
        const x = xs[i];
        for (let c = 0; c < C; c++) {
          const g = grads[m][c];
          bias[c] -= step * g;
          const w = v[c];
          const update = (step * g) / scale;
          for (let k = 0; k < x.indices.length; k++) w[x.indices[k]] -= update * x.values[k];
        }
      });
      if (scale < 1e-6) {
        for (const w of v) for (let j = 0; j < w.length; j++) w[j] *= scale;
        scale = 1;
      }
    }
    average.add(epoch, v, bias, scale);
    yield (epoch + 1) / average.epochs;
  }
  return average.result();
};
