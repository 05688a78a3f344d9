import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../src/ml/backend";
import { describeBackendChoice } from "../src/ml/backend-names";
import { GPT } from "../src/ml/gpt";
import { DEFAULT_TRAIN_CONFIG, train } from "../src/ml/train";
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
    expect(choice.attempts[0].reason).toMatch(/WebGPU/);
    expect(choice.attempts[1].reason).toMatch(/webgl/);
    expect(describeBackendChoice(choice)).toMatch(/^wasm \(skipped webgpu: /);
    await expect(selectBackend(["webgpu"])).rejects.toThrow(
      /no TensorFlow.js backend could start: webgpu: /,
    );
  });
});
