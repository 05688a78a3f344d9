import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { GPT } from "../src/ml/gpt";
import { MixedExperts, sharedEmbedding, trainInTurn } from "../src/ml/moe";
import { DEFAULT_TRAIN_CONFIG } from "../src/ml/presets";
import { TINY, useBackend } from "./helpers";

describe("modular experts", () => {
  beforeAll(() => useBackend("wasm"));
  const ids = () => tf.tensor2d([[5, 6, 7, 8]], [1, 4], "int32");

  it("share one embedding: both experts use and train it, neither disposes it", async () => {
    const embedding = sharedEmbedding(TINY, 3);
    const shared = new Map([["wte", embedding]]);
    const a = GPT.create(TINY, 1, shared);
    const b = GPT.create(TINY, 2, shared);
    expect(a.params.get("wte")).toBe(embedding);
    expect(b.variables()).toContain(embedding);
    const before = embedding.dataSync().slice();
    const corpus = Int32Array.from({ length: 200 }, (_, i) => 3 + (i % 9));
    const curves = await trainInTurn(
      [
        { model: a, data: corpus },
        { model: b, data: corpus },
      ],
      { ...DEFAULT_TRAIN_CONFIG, steps: 3, batchSize: 2, seqLen: 8, evalEvery: 0 },
      undefined,
    );
    expect(curves.map((c) => c.length)).toEqual([3, 3]);
    expect(Array.from(embedding.dataSync())).not.toEqual(Array.from(before));
    a.dispose();
    expect(embedding.isDisposed).toBe(false);
    b.dispose();
    embedding.dispose();
  });

  it("mix experts by averaging final hidden states before the head", () => {
    const embedding = sharedEmbedding(TINY, 3);
    const shared = new Map([["wte", embedding]]);
    const a = GPT.create(TINY, 1, shared);
    const b = GPT.create(TINY, 2, shared);
    const mixed = new MixedExperts([a, b]);
    const expected = a.project(a.hiddenStates(ids()).add(b.hiddenStates(ids())).div(2));
    expect(tf.max(tf.abs(mixed.forward(ids()).sub(expected))).dataSync()[0]).toBeLessThan(1e-6);
    // The shared embedding appears once among the trainable variables.
    const vars = mixed.variables();
    expect(vars.filter((v) => v === embedding)).toHaveLength(1);
    expect(vars).toHaveLength(a.variables().length + b.variables().length - 1);
    // One expert mixed alone is that expert.
    expect(
      tf.max(tf.abs(new MixedExperts([a]).forward(ids()).sub(a.forward(ids())))).dataSync()[0],
    ).toBeLessThan(1e-6);
    a.dispose();
    b.dispose();
    embedding.dispose();
  });
});
