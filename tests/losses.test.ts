import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Losses } from "../src/ml/loss-gradient";
import { OP_LOSSES } from "../src/ml/op-losses";
import { ROW_LOSSES } from "../src/ml/row-losses";
import { useBackend } from "./helpers";

// Logits chosen as logs of probabilities, so softmax gives exactly these distributions.
const P_STUDENT = [0.5, 0.25, 0.25];
const P_TEACHER = [0.25, 0.5, 0.25];
const Q_STUDENT = [0.2, 0.3, 0.5]; // second position
const Q_TEACHER = [0.5, 0.3, 0.2];
const log = (p: number[]) => p.map(Math.log);

const student = () => tf.tensor2d([log(P_STUDENT), log(Q_STUDENT)]);
const teacher = () => tf.tensor2d([log(P_TEACHER), log(Q_TEACHER)]);
const value = (t: tf.Scalar) => t.dataSync()[0];

/** Both paths: TensorFlow.js ops (GPUs) and rows over plain arrays (WASM, CPU). */
const PATHS: [string, Losses][] = [
  ["ops", OP_LOSSES],
  ["rows", ROW_LOSSES],
];

describe.each(PATHS)("KD losses on a 3-token vocabulary (%s)", (_, losses) => {
  const { crossEntropy, forwardKl, paperInverseKl, reverseKl } = losses;
  beforeAll(() => useBackend("cpu"));

  it("cross-entropy is −log p(target), averaged over unmasked positions", () => {
    const targets = tf.tensor1d([1, 2], "int32");
    // −ln 0.25 = ln 4 and −ln 0.5 = ln 2 → mean (ln 4 + ln 2)/2 = 1.5 ln 2
    expect(value(crossEntropy(student(), targets, tf.tensor1d([1, 1])))).toBeCloseTo(
      1.5 * Math.LN2,
      6,
    );
    // Masking the second position leaves ln 4.
    expect(value(crossEntropy(student(), targets, tf.tensor1d([1, 0])))).toBeCloseTo(
      2 * Math.LN2,
      6,
    );
  });

  it("forward KL(teacher ‖ student) at T = 1 matches the hand sum", () => {
    // Position 1: 0.25 ln(0.25/0.5) + 0.5 ln(0.5/0.25) + 0.25 ln(1) = 0.25 ln 2.
    const kl1 = 0.25 * Math.LN2;
    // Position 2: 0.5 ln(0.5/0.2) + 0.3 ln 1 + 0.2 ln(0.2/0.5) = 0.3 ln 2.5.
    const kl2 = 0.3 * Math.log(2.5);
    expect(value(forwardKl(student(), teacher(), tf.tensor1d([1, 1]), 1))).toBeCloseTo(
      (kl1 + kl2) / 2,
      6,
    );
    expect(value(forwardKl(student(), teacher(), tf.tensor1d([0, 1]), 1))).toBeCloseTo(kl2, 6);
  });

  it("forward KL at T = 2 softens both sides and scales by T²", () => {
    // At T = 2 the probabilities become ∝ √p. Position 1 only (masked second).
    const soften = (p: number[]) => {
      const r = p.map(Math.sqrt);
      const z = r.reduce((a, b) => a + b, 0);
      return r.map((v) => v / z);
    };
    const pt = soften(P_TEACHER);
    const ps = soften(P_STUDENT);
    const kl = pt.reduce((s, v, i) => s + v * Math.log(v / ps[i]), 0);
    // Hand value: pt = ps reversed on the first two entries → kl = (pt0 − pt1)·ln(pt0/pt1).
    expect(kl).toBeCloseTo((pt[0] - pt[1]) * Math.log(pt[0] / pt[1]), 12);
    expect(value(forwardKl(student(), teacher(), tf.tensor1d([1, 0]), 2))).toBeCloseTo(4 * kl, 6);
  });

  it("the paper's inverse KL is the teacher→student cross-entropy", () => {
    // Position 1: −(0.25 ln 0.5 + 0.5 ln 0.25 + 0.25 ln 0.25) = 1.75 ln 2.
    expect(value(paperInverseKl(student(), teacher(), tf.tensor1d([1, 0])))).toBeCloseTo(
      1.75 * Math.LN2,
      6,
    );
    // It equals forward KL + teacher entropy (1.5 ln 2 for [0.25, 0.5, 0.25]).
    const fkl = value(forwardKl(student(), teacher(), tf.tensor1d([1, 0]), 1));
    expect(fkl + 1.5 * Math.LN2).toBeCloseTo(1.75 * Math.LN2, 6);
  });

  it("reverse KL(student ‖ teacher) matches the hand sum and differs from forward KL", () => {
    // Position 2: 0.2 ln(0.2/0.5) + 0.3 ln 1 + 0.5 ln(0.5/0.2) = 0.3 ln 2.5 (symmetric here).
    expect(value(reverseKl(student(), teacher(), tf.tensor1d([0, 1]), 1))).toBeCloseTo(
      0.3 * Math.log(2.5),
      6,
    );
    // An asymmetric pair: student [0.5, 0.5, ~0], teacher [0.25, 0.5, 0.25].
    const s = tf.tensor2d([log([0.5, 0.4999999, 1e-7])]);
    const t = tf.tensor2d([log(P_TEACHER)]);
    const reverse = value(reverseKl(s, t, tf.tensor1d([1]), 1));
    const forward = value(forwardKl(s, t, tf.tensor1d([1]), 1));
    expect(reverse).toBeCloseTo(0.5 * Math.log(2), 4); // 0.5 ln(0.5/0.25) + 0.5 ln(0.5/0.5)
    expect(forward).toBeGreaterThan(2); // 0.25 ln(0.25/1e-7) dominates
  });

  it("an all-zero mask gives 0, not NaN", () => {
    expect(value(crossEntropy(student(), tf.tensor1d([0, 0], "int32"), tf.tensor1d([0, 0])))).toBe(
      0,
    );
  });
});

describe.each(PATHS)("KD loss gradients (%s)", (_, losses) => {
  const { crossEntropy, forwardKl, paperInverseKl, reverseKl } = losses;
  beforeAll(() => useBackend("cpu"));

  it("match finite differences for every loss, with a mask", () => {
    const rng = (seed: number) => {
      let x = seed;
      return () => {
        x = (x * 16807) % 2147483647;
        return (x / 2147483647) * 4 - 2;
      };
    };
    const r = rng(7);
    const base = Array.from({ length: 3 * 5 }, r);
    const teacher = tf.tensor2d(Array.from({ length: 3 * 5 }, r), [3, 5]);
    const mask = tf.tensor1d([1, 0, 1]);
    const targets = tf.tensor1d([4, 0, 2], "int32");
    for (const [name, loss] of [
      ["cross-entropy", (s: tf.Tensor2D) => crossEntropy(s, targets, mask)],
      ["forward", (s: tf.Tensor2D) => forwardKl(s, teacher, mask, 2)],
      ["paper-inverse", (s: tf.Tensor2D) => paperInverseKl(s, teacher, mask)],
      ["reverse", (s: tf.Tensor2D) => reverseKl(s, teacher, mask, 1.5)],
    ] as const) {
      const analytic = tf
        .grad((s) => loss(s as tf.Tensor2D))(tf.tensor2d(base, [3, 5]))
        .dataSync();
      for (let i = 0; i < base.length; i++) {
        const at = (delta: number) => {
          const x = [...base];
          x[i] += delta;
          return value(loss(tf.tensor2d(x, [3, 5])));
        };
        const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
        expect(analytic[i], `${name} at ${i}`).toBeCloseTo(numeric, 3);
      }
    }
  });
});

describe("the two paths", () => {
  beforeAll(() => useBackend("cpu"));

  it("give the same values and gradients on a vocabulary-sized row, masked and tempered", () => {
    const [n, vocab] = [6, 512];
    let x = 11;
    const random = () => {
      x = (x * 16807) % 2147483647;
      return (x / 2147483647) * 16 - 8;
    };
    const student = tf.tensor2d(Array.from({ length: n * vocab }, random), [n, vocab]);
    const teacher = tf.tensor2d(Array.from({ length: n * vocab }, random), [n, vocab]);
    const targets = tf.tensor1d([3, 500, 7, 0, 511, 42], "int32");
    const mask = tf.tensor1d([1, 1, 0, 1, 1, 1]);
    const each = (losses: Losses) =>
      [
        (s: tf.Tensor2D) => losses.crossEntropy(s, targets, mask),
        (s: tf.Tensor2D) => losses.forwardKl(s, teacher, mask, 2),
        (s: tf.Tensor2D) => losses.paperInverseKl(s, teacher, mask),
        (s: tf.Tensor2D) => losses.reverseKl(s, teacher, mask, 1.5),
      ].map((loss) => {
        const { value: v, grad } = tf.valueAndGrad((s) => loss(s as tf.Tensor2D))(student);
        return { value: v.dataSync()[0], grad: grad.dataSync() };
      });
    const ops = each(OP_LOSSES);
    const rows = each(ROW_LOSSES);
    for (const [i, o] of ops.entries()) {
      expect(
        Math.abs(rows[i].value - o.value) / Math.max(1, Math.abs(o.value)),
        `loss ${i}`,
      ).toBeLessThan(1e-6);
      let worst = 0;
      for (let j = 0; j < o.grad.length; j++)
        worst = Math.max(worst, Math.abs(rows[i].grad[j] - o.grad[j]));
      expect(worst, `gradient ${i}`).toBeLessThan(1e-7);
    }
  });
});
