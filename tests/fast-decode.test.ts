/**
 * FastDecoder: the shipped models' logits as the TensorFlow.js forward gives them (relative
 * 1e-5) with the WebAssembly SIMD kernel and with plain loops, the same tokens for the same seed,
 * one product per matrix and no TensorFlow.js kernel per token, and no tensor left; the kernel's
 * committed bytes are its .wat compiled.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { compileKernel } from "../scripts/kernels";
import { worstLogitDifference } from "../src/ml/bench";
import { FastDecoder } from "../src/ml/fast-decode";
import { generate } from "../src/ml/generate";
import { GPT } from "../src/ml/gpt";
import { simdAvailable } from "../src/ml/kernels/arena";
import { KERNELS_WASM } from "../src/ml/kernels/kernels-wasm";
import { loadGpt } from "../src/ml/weights";
import { TINY, useBackend } from "./helpers";

const MODELS = join(import.meta.dirname, "..", "public", "models");
const SHIPPED = ["teacher", "expert-en", "expert-fr", "expert-de", "expert-py", "expert-common"];
const IDS = [1, 1485, 3691, 318, 3426, 47, 35, 516, 627, 2, 1, 900, 4000];

beforeAll(() => useBackend("wasm"));

const load = (name: string) => loadGpt(async (p) => readFile(join(MODELS, name, p)));

describe("FastDecoder", () => {
  it("runs its products in the WebAssembly SIMD kernel here (Node has SIMD)", async () => {
    expect(simdAvailable()).toBe(true);
    const model = GPT.create(TINY, 1);
    expect((await FastDecoder.of(model)).simd).toBe(true);
    expect((await FastDecoder.of(model, { simd: false })).simd).toBe(false);
    model.dispose();
  });

  it.each(SHIPPED)(
    "gives %s's logits at every position within 1e-5 (relative), with SIMD and without",
    async (name) => {
      // The reference is the forward on the CPU backend: its kernels sum in double precision, so
      // it is the closest to exact (WASM's own forward is about 5e-6 from it).
      await useBackend("cpu");
      const model = await load(name);
      const reference = tf.tidy(() => model.forward(tf.tensor2d([IDS], [1, IDS.length], "int32")));
      const expected = (await reference.data()) as Float32Array;
      reference.dispose();
      const before = tf.memory().numTensors;
      for (const simd of [true, false]) {
        const decoder = await FastDecoder.of(model, { simd });
        expect(worstLogitDifference(decoder, IDS, expected), `simd ${simd}`).toBeLessThan(1e-5);
      }
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
      await useBackend("wasm");
    },
  );

  it("feeds a prompt at once (one product per matrix) as it feeds it token by token", async () => {
    const model = await load("expert-de");
    const whole = await FastDecoder.of(model);
    const byToken = await FastDecoder.of(model);
    const a = Float32Array.from(whole.feed(IDS.slice(0, 7)));
    let b = new Float32Array(0);
    for (const id of IDS.slice(0, 7)) b = Float32Array.from(byToken.step(id));
    for (let v = 0; v < a.length; v++) expect(Math.abs(a[v] - b[v])).toBeLessThan(1e-4);
    expect(Array.from(whole.feed([IDS[7]]))).toEqual(Array.from(byToken.step(IDS[7])));
    model.dispose();
  });

  it("decodes a token in one product per matrix, with no TensorFlow.js kernel", async () => {
    for (const name of ["teacher", "expert-fr"]) {
      const model = await load(name);
      const decoder = await FastDecoder.of(model);
      decoder.step(1);
      const before = decoder.calls;
      const { kernels } = await tf.profile(() => {
        decoder.step(1485);
      });
      expect(kernels, name).toEqual([]);
      // Per layer: q·k·v (with its bias), the attention's output, and each half of the MLP; then
      // the head.
      expect(decoder.calls - before, name).toBe(4 * model.config.nLayers + 1);
      model.dispose();
    }
  });

  it("carries the bytes of its kernel's source (npm run kernels compiled kernels.wat)", async () => {
    const committed = Uint8Array.from(atob(KERNELS_WASM), (c) => c.charCodeAt(0));
    expect(Buffer.from(committed).equals(Buffer.from(await compileKernel("kernels")))).toBe(true);
  });

  it("gives the same tokens as the forward path for the same seed, past the context window too", async () => {
    const model = GPT.create({ ...TINY, contextLength: 8 }, 4);
    const options = {
      temperature: 1,
      topK: 0,
      topP: 1,
      maxNewTokens: 20,
      seed: 9,
      stopOnEos: false,
    };
    const tokens = async (fastDecoding: boolean) => {
      const ids: number[] = [];
      for await (const t of generate(model, [1, 5, 7], { ...options, fastDecoding }))
        ids.push(t.id);
      return ids;
    };
    expect(await tokens(true)).toEqual(await tokens(false));
    model.dispose();
  });

  it("refuses a token outside the vocabulary and a position past the context", async () => {
    const model = GPT.create({ ...TINY, contextLength: 2 }, 1);
    const decoder = await FastDecoder.of(model);
    expect(() => decoder.step(TINY.vocabSize)).toThrow(/not in the vocabulary/);
    decoder.step(1);
    decoder.step(2);
    expect(() => decoder.step(3)).toThrow(/exceeds the context of 2/);
    model.dispose();
  });
});
