import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../src/ml/backend";
import { describeBackendChoice } from "../src/ml/backend-names";
import { GPT } from "../src/ml/gpt";
import { DEFAULT_TRAIN_CONFIG } from "../src/ml/presets";
import { train } from "../src/ml/train";
import { TINY } from "./helpers";

const corpus = Int32Array.from({ length: 300 }, (_, i) => (i * 37) % 290);

async function lossesOn(backend: "cpu" | "wasm") {
  await selectBackend([backend]);
  const student = GPT.create(TINY, 4);
  const teacher = GPT.create({ ...TINY, dModel: 32, tiedHead: false }, 5);
  const kd = {
    loss: "reverse" as const,
    temperature: 2,
    alpha: { kind: "fixed" as const, alpha: 0.5 },
    mode: "combined" as const,
  };
  const out: number[] = [];
  const config = { ...DEFAULT_TRAIN_CONFIG, steps: 6, batchSize: 3, seqLen: 12, evalEvery: 0, kd };
  for await (const s of train(student, { train: corpus }, config, { teacher }))
    out.push(s.ce, s.kd as number);
  const logits = Array.from(
    student.forward(tf.tensor2d([[1, 2, 3, 4]], [1, 4], "int32")).dataSync(),
  );
  student.dispose();
  teacher.dispose();
  return { out, logits };
}

describe("backends", () => {
  it("cpu and wasm train to the same losses and logits (within float tolerance)", async () => {
    const cpu = await lossesOn("cpu");
    const wasm = await lossesOn("wasm");
    expect(tf.getBackend()).toBe("wasm");
    for (const [i, v] of cpu.out.entries()) expect(wasm.out[i]).toBeCloseTo(v, 4);
    const maxDiff = Math.max(...cpu.logits.map((v, i) => Math.abs(v - wasm.logits[i])));
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it("falls back past backends that cannot start here, with a reason for each", async () => {
    const choice = await selectBackend();
    expect(choice.name).toBe("wasm");
    expect(choice.attempts.map((a) => a.name)).toEqual(["webgpu", "webgl", "wasm"]);
    // One plain sentence each; what the environment said goes in the detail.
    expect(choice.attempts[0]).toMatchObject({
      reason: "WebGPU is not available in this browser",
      detail: "navigator.gpu is missing",
    });
    expect(choice.attempts[1].reason).toBe("WebGL is not available in this browser");
    for (const a of choice.attempts.slice(0, 2)) expect(a.reason).not.toMatch(/@|:\d+/);
    expect(describeBackendChoice(choice)).toMatch(/^wasm, \d+ threads? \(skipped webgpu: /);
    await expect(selectBackend(["webgpu"])).rejects.toThrow(
      /no TensorFlow.js backend could start: webgpu: /,
    );
  });
});

describe("wasm kernels added by MoME Lab", () => {
  it("batched products equal the cpu backend's, including transposed and broadcast ones", async () => {
    const shapes: [number[], number[], boolean, boolean][] = [
      [[3, 4, 5], [3, 5, 2], false, false],
      [[2, 3, 4, 5], [2, 3, 5, 6], false, false],
      [[3, 5, 4], [3, 5, 2], true, false],
      [[3, 4, 5], [3, 2, 5], false, true],
      [[3, 4, 5], [1, 5, 2], false, false],
      [[4, 5], [5, 3], false, false],
    ];
    for (const [sa, sb, ta, tb] of shapes) {
      const a = Array.from({ length: sa.reduce((x, y) => x * y) }, (_, i) => Math.sin(i));
      const b = Array.from({ length: sb.reduce((x, y) => x * y) }, (_, i) => Math.cos(i));
      const product = () =>
        Array.from(tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb).dataSync());
      await selectBackend(["cpu"]);
      const expected = product();
      await selectBackend(["wasm"]);
      const got = product();
      expect(got.length).toBe(expected.length);
      for (const [i, v] of expected.entries()) expect(got[i]).toBeCloseTo(v, 4);
    }
  });

  it("embedding gradients (UnsortedSegmentSum) equal the cpu backend's", async () => {
    const grad = () =>
      Array.from(
        tf
          .grad((e: tf.Tensor) =>
            tf
              .gather(e, tf.tensor1d([1, 3, 1, 0], "int32"))
              .mul(tf.range(0, 12).reshape([4, 3]))
              .sum(),
          )(tf.ones([5, 3]))
          .dataSync(),
      );
    await selectBackend(["cpu"]);
    const expected = grad();
    await selectBackend(["wasm"]);
    expect(grad()).toEqual(expected);
    expect(expected.slice(3, 6)).toEqual([6, 8, 10]); // rows 0 and 2 of the weights both hit id 1
  });
});
