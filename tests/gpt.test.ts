import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, flatLogits } from "../src/ml/evaluate";
import { createCache, disposeCache, GPT, parameterShapes } from "../src/ml/gpt";
import { crossEntropy } from "../src/ml/losses";
import { DEFAULT_TRAIN_CONFIG } from "../src/ml/presets";
import { createRng } from "../src/ml/random";
import { train } from "../src/ml/train";
import { loadGpt, serializeGpt } from "../src/ml/weights";
import { TINY, useBackend } from "./helpers";

const ids = (B: number, T: number, seed = 1) => {
  const rng = createRng(seed);
  return tf.tensor2d(
    Array.from({ length: B * T }, () => rng.int(TINY.vocabSize)),
    [B, T],
    "int32",
  );
};

describe("GPT", () => {
  beforeAll(() => useBackend("cpu"));

  it("counts parameters from the config", () => {
    const m = GPT.create(TINY, 0);
    const { vocabSize: V, contextLength: T, dModel: D, nLayers: L } = TINY;
    const perLayer =
      2 * D + (3 * D * D + 3 * D) + (D * D + D) + 2 * D + (4 * D * D + 4 * D) + (4 * D * D + D);
    expect(m.parameterCount()).toEqual({
      total: V * D + T * D + L * perLayer + 2 * D,
      nonEmbedding: L * perLayer + 2 * D,
    });
    const untied = GPT.create({ ...TINY, tiedHead: false }, 0);
    expect(untied.parameterCount().total).toBe(m.parameterCount().total + D * V);
    m.dispose();
    untied.dispose();
  });

  it("rejects bad configs and inputs longer than the context", () => {
    expect(() => GPT.create({ ...TINY, nHeads: 3 }, 0)).toThrow(/divisible/);
    expect(() => GPT.create({ ...TINY, dModel: 0 }, 0)).toThrow(/positive integer/);
    const m = GPT.create(TINY, 0);
    expect(() => m.forward(ids(1, TINY.contextLength + 1))).toThrow(/exceeds the context/);
    m.dispose();
  });

  it("is causal: changing a later token leaves earlier logits unchanged", () => {
    const m = GPT.create(TINY, 3);
    const a = ids(1, 8, 5);
    const data = a.arraySync();
    data[0][7] = (data[0][7] + 1) % TINY.vocabSize;
    const b = tf.tensor2d(data, [1, 8], "int32");
    const la = m.forward(a).slice([0, 0, 0], [1, 7, -1]);
    const lb = m.forward(b).slice([0, 0, 0], [1, 7, -1]);
    expect(tf.max(tf.abs(la.sub(lb))).dataSync()[0]).toBeLessThan(1e-6);
    m.dispose();
  });

  it("KV-cache decoding gives the logits of the full forward pass", () => {
    const m = GPT.create(TINY, 7);
    const seq = ids(2, 10, 9);
    const full = m.forward(seq);
    const cache = createCache();
    const parts = [m.forward(seq.slice([0, 0], [2, 6]), { cache })];
    for (let t = 6; t < 10; t++) parts.push(m.forward(seq.slice([0, t], [2, 1]), { cache }));
    const cached = tf.concat(parts, 1);
    expect(cache.length).toBe(10);
    expect(cache.keys[0].shape).toEqual([2, TINY.nHeads, 10, TINY.dModel / TINY.nHeads]);
    disposeCache(cache);
    expect(tf.max(tf.abs(cached.sub(full))).dataSync()[0]).toBeLessThan(1e-5);
    m.dispose();
  });

  it("has the LM-loss gradient that finite differences give", () => {
    const m = GPT.create({ ...TINY, tiedHead: false }, 11);
    const input = ids(2, 6, 13);
    const targets = ids(2, 6, 17).reshape([-1]) as tf.Tensor1D;
    const mask = tf.tensor1d([1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
    const loss = () => crossEntropy(flatLogits(m, input), targets, mask);
    const { grads } = tf.variableGrads(loss, m.variables());
    const names = [...m.params.keys()];
    const eps = 1e-2;
    let checked = 0;
    for (const name of [
      "wte",
      "wpe",
      "h0.attn.wqkv",
      "h1.attn.wo",
      "h0.mlp.w1",
      "h1.ln2.g",
      "lnf.b",
      "head",
    ]) {
      const variable = m.params.get(name) as tf.Variable;
      const grad = grads[variable.name].dataSync();
      // Probe the coordinate with the largest gradient, where the signal beats float32 noise.
      let i = 0;
      for (let j = 1; j < grad.length; j++) if (Math.abs(grad[j]) > Math.abs(grad[i])) i = j;
      const original = variable.dataSync().slice();
      const at = (delta: number) => {
        const values = original.slice();
        values[i] += delta;
        variable.assign(tf.tensor(values, variable.shape));
        return loss().dataSync()[0];
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      variable.assign(tf.tensor(original, variable.shape));
      expect(Math.abs(numeric - grad[i]), `${name}[${i}]`).toBeLessThan(
        2e-3 + 0.02 * Math.abs(grad[i]),
      );
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
    expect(names).toContain("head");
    m.dispose();
  });

  it("save → load gives identical logits, and a wrong shape is a clear error", async () => {
    const m = GPT.create({ ...TINY, tiedHead: false }, 21);
    const files = await serializeGpt(m, "student/");
    const read = async (p: string) => {
      const f = files.get(p);
      if (!f) throw new Error(`missing ${p}`);
      return f;
    };
    const loaded = await loadGpt(read, "student/");
    const input = ids(2, 8, 3);
    expect(Array.from(loaded.forward(input).dataSync())).toEqual(
      Array.from(m.forward(input).dataSync()),
    );
    expect(loaded.config).toEqual(m.config);

    const json = JSON.parse(new TextDecoder().decode(files.get("student/model.json")));
    json.config.dModel = 32;
    files.set("student/model.json", new TextEncoder().encode(JSON.stringify(json)));
    await expect(loadGpt(read, "student/")).rejects.toThrow(
      /parameter wte has shape \[300,16\], expected \[300,32\]/,
    );
    m.dispose();
    loaded.dispose();
  });

  it("refuses a damaged model.json by name, and a refused file leaks no tensor", async () => {
    const m = GPT.create(TINY, 4);
    const files = await serializeGpt(m);
    m.dispose();
    const json = JSON.parse(new TextDecoder().decode(files.get("model.json")));
    const loadWith = (modelJson: unknown) => {
      const edited = new Map(files);
      edited.set("model.json", new TextEncoder().encode(JSON.stringify(modelJson)));
      return loadGpt(async (p) => edited.get(p) ?? new Uint8Array());
    };
    await expect(loadWith(null)).rejects.toThrow("model.json is not a mome-gpt v1 model");
    await expect(loadWith({ ...json, config: null })).rejects.toThrow(
      "model.json is damaged: /config must be object",
    );
    await expect(loadWith({ ...json, weightsManifest: [] })).rejects.toThrow(
      "model.json is damaged: /weightsManifest must NOT have fewer than 1 items",
    );
    const before = tf.memory().numTensors;
    // Every other parameter loads before the (untied) head is found missing.
    await expect(
      loadWith({ ...json, config: { ...json.config, tiedHead: false } }),
    ).rejects.toThrow("weights: parameter head is missing");
    expect(tf.memory().numTensors).toBe(before);
  });

  it("keeps parameter order stable (the saved layout)", () => {
    expect(
      parameterShapes(TINY)
        .slice(0, 3)
        .map(([n]) => n),
    ).toEqual(["wte", "wpe", "h0.ln1.g"]);
  });
});

describe("training", () => {
  beforeAll(() => useBackend("wasm"));

  const corpus = Int32Array.from({ length: 400 }, (_, i) => 3 + (i % 7) * 11); // a repeating pattern

  it("lowers the loss on a tiny corpus, and validation perplexity with it", async () => {
    const m = GPT.create(TINY, 1);
    const before = await evaluate(m, corpus, { seqLen: 16, batchSize: 4, maxBatches: 4 });
    const metrics = [];
    for await (const s of train(
      m,
      { train: corpus, val: corpus },
      {
        ...DEFAULT_TRAIN_CONFIG,
        steps: 60,
        batchSize: 4,
        seqLen: 16,
        evalEvery: 30,
        evalBatches: 4,
        learningRate: 1e-2,
      },
    )) {
      metrics.push(s);
    }
    expect(metrics).toHaveLength(60);
    expect(metrics[59].ce).toBeLessThan(metrics[0].ce / 4);
    const last = metrics[59].valPerplexity as number;
    expect(last).toBeLessThan(before.perplexity / 10);
    expect(metrics[29].valPerplexity).toBeDefined();
    expect(metrics[30].valPerplexity).toBeUndefined();
    m.dispose();
  });

  it("keeps the tensor count flat over 50 steps", async () => {
    const m = GPT.create(TINY, 2);
    const teacher = GPT.create(TINY, 3);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const config = {
      ...DEFAULT_TRAIN_CONFIG,
      steps: 51,
      batchSize: 2,
      seqLen: 8,
      evalEvery: 10,
      evalBatches: 1,
    };
    const kd = {
      loss: "forward" as const,
      temperature: 2,
      alpha: { kind: "adaptive" as const },
      mode: "combined" as const,
    };
    for await (const _ of train(
      m,
      { train: corpus, val: corpus },
      { ...config, kd },
      { teacher },
    )) {
      counts.push(tf.memory().numTensors);
    }
    // Step 1 creates the optimizer's moment variables; from then on nothing may accumulate.
    expect(counts[50]).toBe(counts[1]);
    expect(tf.memory().numTensors).toBe(before);
    // After the loop the optimizer is gone too: only the two models' variables remain.
    const afterTraining = tf.memory().numTensors;
    const modelTensors = m.variables().length + teacher.variables().length;
    m.dispose();
    teacher.dispose();
    expect(tf.memory().numTensors).toBe(afterTraining - modelTensors);
  });
});

describe("quantized weights", () => {
  beforeAll(() => useBackend("cpu"));

  it("stores matrices as uint8 (value = q·scale + min) and loads them back within half a step", async () => {
    const m = GPT.create(TINY, 31);
    const files = await serializeGpt(m, "", "uint8");
    const json = JSON.parse(new TextDecoder().decode(files.get("model.json")));
    const specs = json.weightsManifest[0].weights;
    expect(specs.find((w: { name: string }) => w.name === "wte").quantization.dtype).toBe("uint8");
    expect(specs.find((w: { name: string }) => w.name === "lnf.g").quantization).toBeUndefined();
    const floatBytes = (await serializeGpt(m)).get("group1-shard1of1.bin")?.length as number;
    expect(files.get("group1-shard1of1.bin")?.length).toBeLessThan(floatBytes / 3);

    const loaded = await loadGpt(async (p) => files.get(p) as Uint8Array);
    for (const [name, v] of m.params) {
      const original = v.dataSync();
      const restored = (loaded.params.get(name) as tf.Variable).dataSync();
      const spec = specs.find((w: { name: string }) => w.name === name);
      const tolerance = spec.quantization ? spec.quantization.scale / 2 + 1e-7 : 0;
      let worst = 0;
      for (let i = 0; i < original.length; i++)
        worst = Math.max(worst, Math.abs(original[i] - restored[i]));
      expect(worst, name).toBeLessThanOrEqual(tolerance);
    }
    m.dispose();
    loaded.dispose();
  });
});
