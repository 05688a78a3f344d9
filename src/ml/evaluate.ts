/** Validation loss and perplexity of a model on a token stream. */
import * as tf from "@tensorflow/tfjs";
import { type Batch, sequentialBatches } from "./data";
import type { LanguageModel } from "./gpt";
import { crossEntropy } from "./losses";

export interface BatchTensors {
  inputs: tf.Tensor2D; // [B, T]
  targets: tf.Tensor1D; // [B * T]
  mask: tf.Tensor1D; // [B * T]
}

export function batchTensors(batch: Batch): BatchTensors {
  return {
    inputs: tf.tensor2d(batch.inputs, [batch.batchSize, batch.seqLen], "int32"),
    targets: tf.tensor1d(batch.targets, "int32"),
    mask: tf.tensor1d(batch.mask, "float32"),
  };
}

/** Logits flattened to [B * T, V]. */
export function flatLogits(model: LanguageModel, inputs: tf.Tensor2D): tf.Tensor2D {
  return model.forward(inputs).reshape([-1, model.config.vocabSize]);
}

export interface EvalResult {
  loss: number; // mean next-token cross-entropy (nats)
  perplexity: number;
  tokens: number;
}

/** Token-weighted mean CE over consecutive windows of `tokens` (at most maxBatches batches). */
export async function evaluate(
  model: LanguageModel,
  tokens: Int32Array,
  options: {
    seqLen: number;
    batchSize: number;
    maxBatches?: number;
    onProgress?: (done: number) => void;
  },
): Promise<EvalResult> {
  const seqLen = Math.min(options.seqLen, model.config.contextLength);
  let lossSum = 0;
  let count = 0;
  let done = 0;
  for (const batch of sequentialBatches(tokens, options.batchSize, seqLen, options.maxBatches)) {
    const n = batch.mask.reduce((s, v) => s + v, 0);
    const loss = tf.tidy(() => {
      const t = batchTensors(batch);
      return crossEntropy(flatLogits(model, t.inputs), t.targets, t.mask);
    });
    lossSum += (await loss.data())[0] * n;
    loss.dispose();
    count += n;
    options.onProgress?.(++done);
  }
  if (count === 0) throw new Error("evaluation text is too short: it needs at least 2 tokens");
  const mean = lossSum / count;
  return { loss: mean, perplexity: Math.exp(mean), tokens: count };
}

/** Perplexity of each language's held-out stream (the same window settings for every language). */
export async function perplexityByLanguage<L extends string>(
  model: LanguageModel,
  valByLanguage: Partial<Record<L, Int32Array>>,
  languages: readonly L[],
  options: { seqLen: number; batchSize: number; maxBatches?: number },
): Promise<Record<L, number>> {
  const out = {} as Record<L, number>;
  for (const lang of languages) {
    const tokens = valByLanguage[lang];
    if (!tokens) throw new Error(`no validation text for ${lang}`);
    out[lang] = (await evaluate(model, tokens, options)).perplexity;
  }
  return out;
}
