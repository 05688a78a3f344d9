import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { BOS_ID, EOS_ID } from "../src/ml/bpe-trainer";
import {
  DEFAULT_GENERATE_OPTIONS,
  drawToken,
  type GenerateOptions,
  generate,
  klPerPosition,
  samplingDistribution,
} from "../src/ml/generate";
import { GPT } from "../src/ml/gpt";
import { createRng } from "../src/ml/random";
import { TINY, useBackend } from "./helpers";

async function collect(model: GPT, prompt: number[], o: Partial<GenerateOptions>) {
  const ids: number[] = [];
  for await (const t of generate(model, prompt, { ...DEFAULT_GENERATE_OPTIONS, ...o }))
    ids.push(t.id);
  return ids;
}

describe("sampling distribution", () => {
  const logits = Float32Array.from([Math.log(0.1), Math.log(0.2), Math.log(0.3), Math.log(0.4)]);

  it("temperature 1 keeps the softmax", () => {
    const p = samplingDistribution(logits, { temperature: 1, topK: 0, topP: 1 });
    for (const [i, v] of [0.1, 0.2, 0.3, 0.4].entries()) expect(p[i]).toBeCloseTo(v, 6);
  });

  it("temperature 0 is greedy", () => {
    expect(Array.from(samplingDistribution(logits, { temperature: 0, topK: 0, topP: 1 }))).toEqual([
      0, 0, 0, 1,
    ]);
  });

  it("top-k keeps the k most likely tokens, renormalised", () => {
    const p = samplingDistribution(logits, { temperature: 1, topK: 2, topP: 1 });
    expect(p[0]).toBe(0);
    expect(p[1]).toBe(0);
    expect(p[2]).toBeCloseTo(3 / 7, 6);
    expect(p[3]).toBeCloseTo(4 / 7, 6);
  });

  it("top-p keeps the smallest set reaching p", () => {
    // 0.4 + 0.3 = 0.7 ≥ 0.65 → keep two tokens.
    const p = samplingDistribution(logits, { temperature: 1, topK: 0, topP: 0.65 });
    expect(p[1]).toBe(0);
    expect(p[2]).toBeCloseTo(3 / 7, 6);
    // 0.75 needs the third token too.
    expect(samplingDistribution(logits, { temperature: 1, topK: 0, topP: 0.75 })[1]).toBeCloseTo(
      0.2 / 0.9,
      6,
    );
  });

  it("keeps what ranking every token would keep, ties included (it ranks only the candidates)", () => {
    /** The specification: softmax, rank all tokens (ties: lower id first), cut by k, then by p. */
    const byFullRanking = (l: Float32Array, topK: number, topP: number) => {
      const max = Math.max(...l);
      const e = Array.from(l, (v) => Math.exp(v - max));
      const sum = e.reduce((a, b) => a + b, 0);
      const probs = e.map((v) => v / sum);
      const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
      let keep = topK > 0 ? Math.min(topK, l.length) : l.length;
      let cumulative = 0;
      for (let r = 0; r < keep && topP < 1; r++) {
        cumulative += probs[order[r]];
        if (cumulative >= topP) keep = r + 1;
      }
      return new Set(order.slice(0, keep));
    };
    const rng = createRng(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(600);
      // Few distinct values, so ties are common.
      const l = Float32Array.from({ length: n }, () => rng.int(trial % 2 ? 5 : 50) / 3);
      const topK = [0, 1, 3, 40, n][trial % 5];
      const topP = [1, 0.95, 0.5, 0.1][trial % 4];
      const kept = samplingDistribution(l, { temperature: 1, topK, topP });
      const ids = new Set(Array.from(kept.keys()).filter((i) => kept[i] > 0));
      expect(ids, `trial ${trial}`).toEqual(byFullRanking(l, topK, topP));
    }
  });

  it("draws by inverse CDF with frequencies that match the distribution", () => {
    const p = Float64Array.from([0.1, 0, 0.6, 0.3]);
    const rng = createRng(42);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[drawToken(p, rng)]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / 20000).toBeCloseTo(0.6, 1);
    expect(counts[0] / 20000).toBeCloseTo(0.1, 1);
  });
});

describe("generate", () => {
  beforeAll(() => useBackend("wasm"));

  it("repeats with the same seed and differs with another", async () => {
    const m = GPT.create(TINY, 8);
    const o = { temperature: 1.5, topK: 0, topP: 1, maxNewTokens: 12, stopOnEos: false };
    const a = await collect(m, [BOS_ID], { ...o, seed: 1 });
    const b = await collect(m, [BOS_ID], { ...o, seed: 1 });
    const c = await collect(m, [BOS_ID], { ...o, seed: 2 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(12);
    m.dispose();
  });

  it("gives the same tokens with and without the KV cache, past the context length", async () => {
    const m = GPT.create(TINY, 9);
    const o = { temperature: 0, maxNewTokens: TINY.contextLength + 10, stopOnEos: false };
    const before = tf.memory().numTensors;
    const cached = await collect(m, [BOS_ID, 5, 6], { ...o, useCache: true });
    expect(tf.memory().numTensors).toBe(before);
    const uncached = await collect(m, [BOS_ID, 5, 6], { ...o, useCache: false });
    // Identical until the window first slides; then the cached path rebuilds from T − 1 tokens.
    const firstSlide = TINY.contextLength - 3;
    expect(cached.slice(0, firstSlide + 1)).toEqual(uncached.slice(0, firstSlide + 1));
    expect(cached).toHaveLength(TINY.contextLength + 10);
    m.dispose();
  });

  it("reads the KL between two models along any length, sliding by half a window past the context", async () => {
    const p = GPT.create(TINY, 21);
    const q = GPT.create(TINY, 22);
    const ids = Array.from({ length: 3 * TINY.contextLength + 5 }, (_, i) => 3 + ((i * 13) % 200));
    const before = tf.memory().numTensors;
    const kl = await klPerPosition(p, q, ids, 4);
    expect(tf.memory().numTensors).toBe(before);
    expect(kl).toHaveLength(ids.length - 4);
    expect(kl.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    // Inside the first window it is the KL of one forward pass over that window.
    const direct = tf.tidy(() => {
      const input = tf.tensor2d(ids.slice(0, TINY.contextLength), [1, TINY.contextLength], "int32");
      const logP = tf.logSoftmax(p.forward(input).squeeze([0]));
      const logQ = tf.logSoftmax(q.forward(input).squeeze([0]));
      return tf.exp(logP).mul(logP.sub(logQ)).sum(-1).dataSync();
    });
    for (let j = 4; j < TINY.contextLength; j++) expect(kl[j - 4]).toBeCloseTo(direct[j], 5);
    p.dispose();
    q.dispose();
  });

  it("stops on <eos>", async () => {
    const m = GPT.create({ ...TINY, tiedHead: false }, 10);
    // Make <eos> overwhelmingly likely: final hidden states get mean 1 (LayerNorm bias) and the
    // head column of <eos> adds 100 per unit of that mean.
    const head = m.params.get("head") as tf.Variable;
    head.assign(tf.tidy(() => head.add(tf.oneHot([EOS_ID], TINY.vocabSize).mul(100))));
    (m.params.get("lnf.b") as tf.Variable).assign(tf.ones([TINY.dModel]));
    const ids = await collect(m, [BOS_ID], {
      temperature: 1,
      maxNewTokens: 10,
      stopOnEos: true,
      seed: 3,
    });
    expect(ids).toEqual([EOS_ID]);
    m.dispose();
  });

  it("rejects bad settings with a clear message", async () => {
    const m = GPT.create(TINY, 1);
    await expect(collect(m, [], {})).rejects.toThrow(/prompt of at least one token/);
    await expect(collect(m, [1], { temperature: -1 })).rejects.toThrow(/temperature/);
    await expect(collect(m, [1], { topP: 0 })).rejects.toThrow(/topP/);
    m.dispose();
  });
});
