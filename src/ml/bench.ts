/** Throughput measurements shared by the CLI's `bench` and the browser. */
import * as tf from "@tensorflow/tfjs";
import { BOS_ID } from "./bpe-trainer";
import { FastDecoder } from "./fast-decode";
import { generate } from "./generate";
import { createCache, disposeCache, GPT, type GPTConfig } from "./gpt";
import { DEFAULT_TRAIN_CONFIG } from "./presets";
import { TeacherCache } from "./teacher-cache";
import { train } from "./train";

/** Plain n×n×n matmul rate in GFLOP/s (best of `reps` after one warm-up). */
export async function matmulGflops(n: number, reps: number): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r <= reps; r++) {
    const started = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    if (r > 0) best = Math.min(best, performance.now() - started);
  }
  tf.dispose([a, b]);
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

/**
 * FLOPs of one training step per token: 6 per matmul weight (forward 2, backward 4) plus the
 * attention products (QKᵀ and AV over the full window: 4·T·D per layer forward, ×3 with backward).
 */
export function trainingFlopsPerToken(c: GPTConfig, seqLen: number): number {
  const matmulWeights = c.nLayers * 12 * c.dModel * c.dModel + c.vocabSize * c.dModel;
  return 6 * matmulWeights + 12 * c.nLayers * seqLen * c.dModel;
}

export interface TrainThroughput {
  msPerStep: number;
  tokensPerSec: number;
  /** The student's training FLOPs per second. */
  gflops: number;
  /** With a teacher: the student's training FLOPs plus the teacher's forward pass, per second. */
  gflopsWithTeacher?: number;
}

/**
 * Median step time over `steps` steps (after one warm-up step); with a teacher, the KD step. With
 * `cached`, the teacher's outputs come from a cache filled before the timing starts (as a second run
 * or race lane on the same text finds it).
 */
export async function trainThroughput(
  config: GPTConfig,
  options: {
    batchSize: number;
    seqLen: number;
    steps: number;
    teacher?: GPTConfig;
    cached?: boolean;
  },
): Promise<TrainThroughput> {
  const student = GPT.create(config, 0);
  const teacher = options.teacher ? GPT.create(options.teacher, 1) : undefined;
  const tokens = Int32Array.from(
    { length: 20_000 },
    (_, i) => 3 + ((i * 7919) % (config.vocabSize - 3)),
  );
  const kd = teacher
    ? {
        loss: "forward" as const,
        temperature: 2,
        alpha: { kind: "fixed" as const, alpha: 0.5 },
        mode: "combined" as const,
      }
    : undefined;
  let teacherCache: TeacherCache | undefined;
  if (teacher && options.cached) {
    teacherCache = new TeacherCache(teacher, tokens, options.seqLen);
    await teacherCache.fill(Array.from({ length: teacherCache.windows }, (_, w) => w));
  }
  const times: number[] = [];
  let previous = performance.now();
  const run = train(
    student,
    { train: tokens },
    {
      ...DEFAULT_TRAIN_CONFIG,
      steps: options.steps + 1,
      batchSize: options.batchSize,
      seqLen: options.seqLen,
      evalEvery: 0,
      kd,
    },
    { teacher, teacherCache },
  );
  for await (const m of run) {
    const now = performance.now();
    if (m.step > 1) times.push(now - previous);
    previous = now;
  }
  student.dispose();
  teacher?.dispose();
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  const tokensPerStep = options.batchSize * options.seqLen;
  const rate = (flopsPerToken: number) => (flopsPerToken * tokensPerStep) / (ms / 1000) / 1e9;
  const studentFlops = trainingFlopsPerToken(config, options.seqLen);
  return {
    msPerStep: ms,
    tokensPerSec: tokensPerStep / (ms / 1000),
    gflops: rate(studentFlops),
    // A forward pass is a third of a training step's FLOPs (none with a filled cache).
    ...(options.teacher && !teacherCache
      ? {
          gflopsWithTeacher: rate(
            studentFlops + trainingFlopsPerToken(options.teacher, options.seqLen) / 3,
          ),
        }
      : {}),
  };
}

/** Greedy decoding that never stops early: every measurement generates the same tokens. */
const GREEDY = { temperature: 0, topK: 0, topP: 1, seed: 0, stopOnEos: false };

/**
 * Greedy generation speed in tokens/s, with or without the KV cache; with it, through FastDecoder
 * or the TensorFlow.js forward (`fastDecoding`; default: the backend's usual path). The tokens
 * after the first are timed: the first also pays for the start (building the decoder, the prompt),
 * which the app shows apart as the time to the first token. With `repeats`, the median of that
 * many generations (a small model's token takes a tenth of a millisecond: one pause of the
 * garbage collector can halve a single measure).
 */
export async function generationSpeed(
  config: GPTConfig,
  newTokens: number,
  useCache: boolean,
  fastDecoding?: boolean,
  repeats = 1,
): Promise<number> {
  const model = GPT.create(config, 0);
  const options = { ...GREEDY, maxNewTokens: newTokens, useCache, fastDecoding };
  // A warm-up run, so kernel compilation, allocation and the JIT's first passes do not count.
  const warmUp = { ...options, maxNewTokens: Math.min(newTokens, 16) };
  for await (const _ of generate(model, [BOS_ID], warmUp)) {
  }
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    let started = 0;
    let produced = 0;
    for await (const _ of generate(model, [BOS_ID], options))
      if (produced++ === 0) started = performance.now();
    rates.push((produced - 1) / ((performance.now() - started) / 1000));
  }
  model.dispose();
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
}

/**
 * What decoding one token with the KV cache dispatches: TensorFlow.js kernels, and (FastDecoder)
 * calls of its WebAssembly product, one per matrix.
 */
export async function dispatchesPerToken(
  config: GPTConfig,
  fast: boolean,
): Promise<{ kernels: number; products: number }> {
  const model = GPT.create(config, 0);
  let kernels: number;
  let products = 0;
  if (fast) {
    const decoder = await FastDecoder.of(model);
    decoder.step(BOS_ID);
    const before = decoder.calls;
    kernels = (await tf.profile(() => void decoder.step(BOS_ID))).kernels.length;
    products = decoder.calls - before;
  } else {
    const cache = createCache();
    tf.dispose(model.forward(tf.tensor2d([[BOS_ID]], [1, 1], "int32"), { cache }));
    const profile = await tf.profile(() =>
      tf.dispose(model.forward(tf.tensor2d([[BOS_ID]], [1, 1], "int32"), { cache })),
    );
    kernels = profile.kernels.length;
    disposeCache(cache);
  }
  model.dispose();
  return { kernels, products };
}

/**
 * Greedy generation speed (KV cache) around two positions: tokens/s over the 32 tokens centred on
 * position `early` and on position `late` (past the context, the window slides).
 */
export async function generationSpeedByPosition(
  config: GPTConfig,
  early: number,
  late: number,
): Promise<{ early: number; late: number }> {
  const model = GPT.create(config, 0);
  const span = 32;
  const times: number[] = [];
  const options = { ...GREEDY, maxNewTokens: late + span / 2 };
  times.push(performance.now());
  for await (const _ of generate(model, [BOS_ID], options)) times.push(performance.now());
  model.dispose();
  const rate = (centre: number) => {
    const from = Math.max(1, centre - span / 2);
    return span / ((times[from + span - 1] - times[from - 1]) / 1000);
  };
  return { early: rate(early), late: rate(late) };
}

/**
 * The largest difference, relative (|Δ| / max(1, |logit|)), between the logits `decoder` gives
 * for `ids` fed one at a time and `expected` ([ids.length × V], as the forward gives them).
 */
export function worstLogitDifference(
  decoder: FastDecoder,
  ids: readonly number[],
  expected: Float32Array,
): number {
  const V = decoder.config.vocabSize;
  let worst = 0;
  for (const [t, id] of ids.entries()) {
    const logits = decoder.step(id);
    for (let v = 0; v < V; v++) {
      const b = expected[t * V + v];
      worst = Math.max(worst, Math.abs(logits[v] - b) / Math.max(1, Math.abs(b)));
    }
  }
  return worst;
}

/**
 * How FastDecoder agrees with the forward on the backend in use, for a model of this shape: the
 * largest logit difference over 12 positions (relative, |Δ| / max(1, |logit|)), and whether
 * sampling the same seed through each gives the same tokens. Whether its arithmetic ran in the
 * WebAssembly SIMD kernel is said too.
 */
export async function decodingAgreement(
  config: GPTConfig,
  seed = 3,
): Promise<{ worst: number; sameTokens: boolean; simd: boolean }> {
  const model = GPT.create(config, seed);
  const ids = Array.from({ length: 12 }, (_, i) => (i * 7919 + BOS_ID) % config.vocabSize);
  const reference = tf.tidy(() => model.forward(tf.tensor2d([ids], [1, ids.length], "int32")));
  const expected = (await reference.data()) as Float32Array;
  reference.dispose();
  const decoder = await FastDecoder.of(model);
  const worst = worstLogitDifference(decoder, ids, expected);
  const options = { temperature: 1, topK: 0, topP: 1, maxNewTokens: 24, seed, stopOnEos: false };
  const sample = async (fastDecoding: boolean) => {
    const out: number[] = [];
    for await (const t of generate(model, [BOS_ID], { ...options, fastDecoding })) out.push(t.id);
    return out.join();
  };
  const sameTokens = (await sample(true)) === (await sample(false));
  model.dispose();
  return { worst, sameTokens, simd: decoder.simd };
}
