/**
 * Sampling text from a GPT with a KV cache: temperature, top-k, top-p (nucleus), a seed, and a
 * stop on <eos>. Tokens are drawn in plain JS from the probabilities (tf.multinomial is wrong on
 * WebGPU), so the same seed gives the same tokens on every backend.
 */

import * as tf from "@tensorflow/tfjs";
import { EOS_ID } from "./bpe-trainer";
import { FastDecoder } from "./fast-decode";
import { createCache, disposeCache, type GPT } from "./gpt";
import { createRng, type Rng } from "./random";

export interface SamplingOptions {
  /** 0 = greedy (argmax). */
  temperature: number;
  /** Keep only the k most likely tokens (0 = all). */
  topK: number;
  /** Keep the smallest set of tokens whose probability reaches p (1 = all). */
  topP: number;
}

export interface GenerateOptions extends SamplingOptions {
  maxNewTokens: number;
  seed: number;
  stopOnEos: boolean;
  /** false = recompute the whole window every token (for benchmarks and tests). */
  useCache?: boolean;
  /**
   * With the cache: decode through FastDecoder (its own WebAssembly SIMD arithmetic, one call per
   * matrix, on every backend: a token of these small models costs less on the CPU than one GPU
   * readback) rather than the TensorFlow.js forward (the reference). Default: FastDecoder.
   */
  fastDecoding?: boolean;
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  temperature: 0.8,
  topK: 40,
  topP: 0.95,
  maxNewTokens: 64,
  seed: 0,
  stopOnEos: true,
};

export function validateSampling(o: SamplingOptions): void {
  if (!(o.temperature >= 0 && o.temperature <= 10))
    throw new Error(`temperature must be in [0, 10], got ${o.temperature}`);
  if (!Number.isInteger(o.topK) || o.topK < 0)
    throw new Error(`topK must be an integer ≥ 0, got ${o.topK}`);
  if (!(o.topP > 0 && o.topP <= 1)) throw new Error(`topP must be in (0, 1], got ${o.topP}`);
}

/** The distribution sampling draws from, after temperature, top-k and top-p (sums to 1). */
export function samplingDistribution(logits: ArrayLike<number>, o: SamplingOptions): Float64Array {
  const n = logits.length;
  const probs = new Float64Array(n);
  if (o.temperature === 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (logits[i] > logits[best]) best = i;
    probs[best] = 1;
    return probs;
  }
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    probs[i] = Math.exp((logits[i] - max) / o.temperature);
    sum += probs[i];
  }
  for (let i = 0; i < n; i++) probs[i] /= sum;

  if (o.topK === 0 && o.topP === 1) return probs;
  // Rank the tokens that can be kept; ties keep the lower id first so results are stable. Only
  // tokens at or above a threshold can be: the k-th largest probability (top-k), and (1 − p) / n
  // (top-p: the tokens below it hold less than 1 − p in all, so those above hold more than p).
  // They are the head of the full ranking, so ranking them alone keeps the same tokens.
  let threshold = o.topP < 1 ? (1 - o.topP) / n : 0;
  if (o.topK > 0 && o.topK < n) threshold = Math.max(threshold, kthLargest(probs, o.topK));
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (probs[i] >= threshold) order.push(i);
  order.sort((a, b) => probs[b] - probs[a] || a - b);
  let keep = o.topK > 0 ? Math.min(o.topK, order.length) : order.length;
  if (o.topP < 1) {
    let cumulative = 0;
    for (let r = 0; r < keep; r++) {
      cumulative += probs[order[r]];
      if (cumulative >= o.topP) {
        keep = r + 1;
        break;
      }
    }
  }
  const kept = new Float64Array(n);
  let keptSum = 0;
  for (let r = 0; r < keep; r++) keptSum += probs[order[r]];
  for (let r = 0; r < keep; r++) kept[order[r]] = probs[order[r]] / keptSum;
  return kept;
}

/** The k-th largest of `values` (1 ≤ k ≤ length), by quickselect on a copy: linear time, no full sort. */
function kthLargest(values: Float64Array, k: number): number {
  const a = Float64Array.from(values);
  const target = a.length - k; // the k-th largest is the (n − k)-th smallest
  let [lo, hi] = [0, a.length - 1];
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let [i, j] = [lo, hi];
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        [a[i], a[j]] = [a[j], a[i]];
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target];
}

/** Inverse-CDF draw from a distribution. */
export function drawToken(probs: Float64Array, rng: Rng): number {
  const u = rng.next();
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] === 0) continue;
    cumulative += probs[i];
    last = i;
    if (u < cumulative) return i;
  }
  return last;
}

export interface GeneratedToken {
  id: number;
  /** Probability of this token under the sampling distribution. */
  prob: number;
  /** The model's raw logits for this position (for KL colouring and analysis). */
  logits: Float32Array;
}

/**
 * Yields new tokens one by one after `prompt` (token ids; at least one, e.g. <bos>). When the
 * context fills up, the window slides by half: the cache is rebuilt once from the last
 * contextLength / 2 tokens, so a long generation costs one window's forward pass every
 * contextLength / 2 tokens (models of one context length slide at the same positions).
 */
export async function* generate(
  model: GPT,
  prompt: readonly number[],
  options: GenerateOptions,
): AsyncGenerator<GeneratedToken> {
  validateSampling(options);
  if (prompt.length === 0)
    throw new Error("generation needs a prompt of at least one token (e.g. <bos>)");
  if (!Number.isInteger(options.maxNewTokens) || options.maxNewTokens < 0) {
    throw new Error(`maxNewTokens must be an integer ≥ 0, got ${options.maxNewTokens}`);
  }
  const useCache = options.useCache ?? true;
  const fast = useCache && (options.fastDecoding ?? true);
  const context = model.config.contextLength;
  const rng = createRng(options.seed);
  const tokens = [...prompt];
  const decoding = fast ? await fastDecoding(model) : forwardDecoding(model, useCache);
  let pending = tokens.slice(-context); // tokens not yet in the cache
  try {
    for (let produced = 0; produced < options.maxNewTokens; produced++) {
      if (!useCache) pending = tokens.slice(-context);
      else if (decoding.length() + pending.length > context) {
        // Past the context window: a fresh cache on the latest half window.
        decoding.reset();
        pending = tokens.slice(-Math.max(1, Math.floor(context / 2)));
      }
      const logits = await decoding.next(pending);
      const probs = samplingDistribution(logits, options);
      const id = drawToken(probs, rng);
      tokens.push(id);
      pending = [id];
      yield { id, prob: probs[id], logits };
      if (options.stopOnEos && id === EOS_ID) return;
    }
  } finally {
    decoding.dispose();
  }
}

/** How `generate` gets the next token's logits: positions cached so far, feeding, forgetting. */
interface Decoding {
  length(): number;
  /** The logits after `pending`, which join the cache (if there is one). */
  next(pending: readonly number[]): Promise<Float32Array>;
  reset(): void;
  dispose(): void;
}

/** Through the TensorFlow.js forward: with its KV cache, or the whole window every token. */
function forwardDecoding(model: GPT, useCache: boolean): Decoding {
  const cache = createCache();
  return {
    length: () => cache.length,
    async next(pending) {
      const input = tf.tensor2d([...pending], [1, pending.length], "int32");
      const out = model.forward(input, useCache ? { cache } : {});
      input.dispose();
      const last = tf.tidy(() => out.slice([0, pending.length - 1, 0], [1, 1, -1]).reshape([-1]));
      out.dispose();
      const logits = (await last.data()) as Float32Array;
      last.dispose();
      return logits;
    },
    reset: () => disposeCache(cache),
    dispose: () => disposeCache(cache),
  };
}

/** Through FastDecoder: the same positions and slides, one call per matrix a token. */
async function fastDecoding(model: GPT): Promise<Decoding> {
  const decoder = await FastDecoder.of(model);
  return {
    length: () => decoder.length,
    next: async (pending) => Float32Array.from(decoder.feed(pending)),
    reset: () => decoder.reset(),
    // Its memory is plain memory (no tensor): it goes with the decoder.
    dispose: () => undefined,
  };
}

/**
 * KL(p ‖ q) of two models' next-token distributions at every position of `ids` from `from` on (the
 * prediction of token j + 1 is read at position j). Sequences longer than the models' context are
 * read in windows that slide by half, as generation does, so every position gets a finite value.
 */
export async function klPerPosition(
  p: GPT,
  q: GPT,
  ids: readonly number[],
  from: number,
): Promise<Float32Array> {
  const context = Math.min(p.config.contextLength, q.config.contextLength);
  const half = Math.max(1, Math.floor(context / 2));
  const out = new Float32Array(Math.max(0, ids.length - from));
  for (let start = 0; ; start += half) {
    const window = ids.slice(start, start + context);
    // The first window reports every position; later ones only those past the previous window.
    const first = start === 0 ? 0 : context - half;
    if (start + first < ids.length && start + window.length > from) {
      const perToken = tf.tidy(() => {
        const input = tf.tensor2d(window, [1, window.length], "int32");
        const logP = tf.logSoftmax(p.forward(input).squeeze([0]));
        const logQ = tf.logSoftmax(q.forward(input).squeeze([0]));
        return tf.exp(logP).mul(logP.sub(logQ)).sum(-1); // [window]
      });
      const values = (await perToken.data()) as Float32Array;
      perToken.dispose();
      for (let j = first; j < window.length; j++) {
        const position = start + j;
        if (position >= from) out[position - from] = values[j];
      }
    }
    if (start + context >= ids.length) break;
  }
  return out;
}
