/**
 * The losses computed a row (a position) at a time over the logits read once: the path on WASM and
 * CPU, whose tensors live in main memory. Each row's softmaxes are one call each to a WebAssembly
 * SIMD kernel (kernels/arena.ts: an exp of about 1 ulp, sums in double precision), and the loss and
 * its gradient one loop over the row, where the ops path (op-losses.ts) runs a dozen elementwise
 * kernels over [N, V] (most of a lesson-size training step). They agree to float precision
 * (tests/losses.test.ts holds both to hand values, finite differences and each other).
 */
import * as tf from "@tensorflow/tfjs";
import { Arena, type Slab } from "./kernels/arena";
import { type Losses, type PerPosition, withGradient } from "./loss-gradient";

/** Where rows pass through: the student's row and the teacher's, and their softmaxes. */
interface Rows {
  vocab: number;
  arena: Arena;
  student: Slab;
  teacher: Slab;
  q: Slab;
  p: Slab;
}
let rows: Rows | null = null;
function rowsFor(vocab: number): Rows {
  if (rows?.vocab !== vocab) {
    const arena = new Arena(4 * 4 * (vocab + 4) + 64);
    const take = () => arena.take(vocab);
    rows = { vocab, arena, student: take(), teacher: take(), q: take(), p: take() };
  }
  return rows;
}

/** One row's softmax at temperature t: its exps in `out` (p = out / sum) and log Z. */
function softmax(r: Rows, x: Slab, t: number, out: Slab): { sum: number; logZ: number } {
  const { max, sum } = r.arena.softmax(x, 1 / t, out);
  return { sum, logZ: max + Math.log(sum) };
}

/**
 * Per position: `row(r, index, grad)` returns the loss at row `index` (its logits already in
 * r.student, the teacher's in r.teacher) and writes ∂loss/∂(student logits) into `grad`.
 */
function byRows(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D | null,
  row: (r: Rows, index: number, grad: Float32Array) => number,
): PerPosition {
  const [n, vocab] = student.shape;
  const s = student.dataSync() as Float32Array;
  const t = teacher ? (teacher.dataSync() as Float32Array) : null;
  const r = rowsFor(vocab);
  const losses = new Float32Array(n);
  const grads = new Float32Array(n * vocab);
  for (let i = 0; i < n; i++) {
    const [from, to] = [i * vocab, (i + 1) * vocab];
    r.student.view.set(s.subarray(from, to));
    if (t) r.teacher.view.set(t.subarray(from, to));
    losses[i] = row(r, i, grads.subarray(from, to));
  }
  return { loss: tf.tensor1d(losses), grad: () => tf.tensor2d(grads, [n, vocab]) };
}

/** −log q(target); ∂/∂s = q − one-hot(target). */
function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  const ids = targets.dataSync();
  return withGradient(logits, mask, (s) =>
    byRows(s, null, (r, i, grad) => {
      const q = softmax(r, r.student, 1, r.q);
      const [e, inverse] = [r.q.view, 1 / q.sum];
      for (let v = 0; v < r.vocab; v++) grad[v] = e[v] * inverse;
      grad[ids[i]] -= 1;
      return q.logZ - r.student.view[ids[i]];
    }),
  );
}

/** T² · Σ p (log p − log q) at temperature T; ∂/∂s = T · (q − p). */
function forwardKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature = 2,
): tf.Scalar {
  const t = temperature;
  return withGradient(student, mask, (s) =>
    byRows(s, teacher, (r, _, grad) => {
      const q = softmax(r, r.student, t, r.q);
      const p = softmax(r, r.teacher, t, r.p);
      const [x, y, eq, ep] = [r.student.view, r.teacher.view, r.q.view, r.p.view];
      const [inverseT, inverseQ, inverseP, shift] = [1 / t, 1 / q.sum, 1 / p.sum, q.logZ - p.logZ];
      let kl = 0;
      for (let v = 0; v < r.vocab; v++) {
        const pv = ep[v] * inverseP;
        // log p − log q = (y − x) / T − log Z_p + log Z_q
        if (pv > 0) kl += pv * ((y[v] - x[v]) * inverseT + shift);
        grad[v] = t * (eq[v] * inverseQ - pv);
      }
      return t * t * kl;
    }),
  );
}

/** −Σ p log q (no temperature); ∂/∂s = q − p. */
function paperInverseKl(student: tf.Tensor2D, teacher: tf.Tensor2D, mask: tf.Tensor1D): tf.Scalar {
  return withGradient(student, mask, (s) =>
    byRows(s, teacher, (r, _, grad) => {
      const q = softmax(r, r.student, 1, r.q);
      const p = softmax(r, r.teacher, 1, r.p);
      const [x, eq, ep] = [r.student.view, r.q.view, r.p.view];
      let loss = 0;
      for (let v = 0; v < r.vocab; v++) {
        const pv = ep[v] / p.sum;
        loss -= pv * (x[v] - q.logZ);
        grad[v] = eq[v] / q.sum - pv;
      }
      return loss;
    }),
  );
}

/** T² · Σ q (log q − log p) at temperature T; ∂/∂s = T · q · (log q − log p − KL). */
function reverseKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature = 1,
): tf.Scalar {
  const t = temperature;
  return withGradient(student, mask, (s) =>
    byRows(s, teacher, (r, _, grad) => {
      const q = softmax(r, r.student, t, r.q);
      const p = softmax(r, r.teacher, t, r.p);
      const [x, y, eq] = [r.student.view, r.teacher.view, r.q.view];
      let kl = 0;
      for (let v = 0; v < r.vocab; v++) {
        const logRatio = x[v] / t - q.logZ - (y[v] / t - p.logZ); // log q − log p
        kl += (eq[v] / q.sum) * logRatio;
      }
      for (let v = 0; v < r.vocab; v++) {
        const logRatio = x[v] / t - q.logZ - (y[v] / t - p.logZ);
        grad[v] = t * (eq[v] / q.sum) * (logRatio - kl);
      }
      return t * t * kl;
    }),
  );
}

export const ROW_LOSSES: Losses = { crossEntropy, forwardKl, paperInverseKl, reverseKl };
