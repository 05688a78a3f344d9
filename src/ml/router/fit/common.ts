/** What the SGD-style fitting methods share: the order of examples, minibatches, averaging, the gradient. */
import { createRng } from "../../random";
import type { SparseVector } from "../features";
import { softmax } from "../model";
import type { FitOptions } from "./options";

export function shuffled(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export const MINIBATCH = 16;

/**
 * Averaged SGD's running mean: with `averaged`, of the weights at the end of each epoch of the
 * second half; without, the last epoch's alone.
 */
export function epochAverage(o: FitOptions) {
  const epochs = o.epochs ?? 30;
  const first = o.averaged ? Math.floor(epochs / 2) : epochs - 1;
  const sumW = Array.from({ length: o.classCount }, () => new Float64Array(o.dimension));
  const sumBias = new Array(o.classCount).fill(0);
  return {
    epochs,
    /** Adds epoch `epoch`'s weights (each scaled by `scale`) if it counts. */
    add(epoch: number, weights: Float64Array[], bias: number[], scale = 1) {
      if (epoch < first) return;
      weights.forEach((w, c) => {
        for (let j = 0; j < w.length; j++) sumW[c][j] += scale * w[j];
        sumBias[c] += bias[c];
      });
    },
    result() {
      const n = epochs - first;
      return {
        weights: sumW.map((w) => w.map((x) => x / n)),
        bias: sumBias.map((b) => b / n),
      };
    },
  };
}

/** softmax(bias + scale · W x) − onehot(y): the cross-entropy's gradient in the scores. */
export function scoreGradient(
  x: SparseVector,
  y: number,
  weights: Float64Array[],
  bias: number[],
  scale = 1,
): number[] {
  const scores = weights.map((w, c) => {
    let s = 0;
    for (let k = 0; k < x.indices.length; k++) s += w[x.indices[k]] * x.values[k];
    return bias[c] + scale * s;
  });
  return softmax(scores).map((p, c) => p - (y === c ? 1 : 0));
}
