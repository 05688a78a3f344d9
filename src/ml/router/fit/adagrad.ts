import { epochAverage, MINIBATCH, scoreGradient, shuffled } from "./common";
import type { Fit } from "./options";

/**
 * Multinomial logistic regression by AdaGrad, minibatches of mean cross-entropy + (λ/2)‖W‖²: each
 * weight steps by the learning rate over the root of its own summed squared gradients, so a
 * character n-gram seen in few snippets moves as far per sighting as a common one (SGD's one
 * decaying step leaves rare features near zero). The weight decay reaches only the batch's
 * features.
 */
export const fitAdagrad: Fit = function* (xs, ys, o) {
  const lambda = o.regularization ?? 0;
  const lr = o.learningRate ?? 0.05;
  const average = epochAverage(o);
  const C = o.classCount;
  const matrix = () => Array.from({ length: C }, () => new Float64Array(o.dimension));
  const [w, grad, squared] = [matrix(), matrix(), matrix()];
  const bias = new Array(C).fill(0);
  const biasSquared = new Array(C).fill(0);
  // The batch's features, each listed once: lastBatch[j] is the last batch that touched j.
  const lastBatch = new Int32Array(o.dimension).fill(-1);
  let batchIndex = 0;
  const adagradStep = (value: number, g: number, sum: number) =>
    value - (lr * g) / (Math.sqrt(sum) + 1e-8);
  for (let epoch = 0; epoch < average.epochs; epoch++) {
    const order = shuffled(xs.length, (o.seed ?? 0) + epoch);
    for (let start = 0; start < order.length; start += MINIBATCH, batchIndex++) {
      const members = order.slice(start, start + MINIBATCH);
      const touched: number[] = [];
      const biasGrad = new Array(C).fill(0);
      for (const i of members) {
        const x = xs[i];
        const g = scoreGradient(x, ys[i], w, bias);
        for (let c = 0; c < C; c++) {
          const gc = g[c] / members.length;
          biasGrad[c] += gc;
          for (let k = 0; k < x.indices.length; k++) grad[c][x.indices[k]] += gc * x.values[k];
        }
        for (const j of x.indices)
          if (lastBatch[j] !== batchIndex) {
            lastBatch[j] = batchIndex;
            touched.push(j);
          }
      }
      for (let c = 0; c < C; c++) {
        biasSquared[c] += biasGrad[c] * biasGrad[c];
        bias[c] = adagradStep(bias[c], biasGrad[c], biasSquared[c]);
        for (const j of touched) {
          const g = grad[c][j] + lambda * w[c][j];
          grad[c][j] = 0;
          squared[c][j] += g * g;
          w[c][j] = adagradStep(w[c][j], g, squared[c][j]);
        }
      }
    }
    average.add(epoch, w, bias);
    yield (epoch + 1) / average.epochs;
  }
  return average.result();
};
