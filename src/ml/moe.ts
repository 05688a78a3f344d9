/**
 * The paper's modular set-ups at small scale.
 *
 *   PLE     Pre-trained Language Experts: one student per language, distilled separately.
 *   JEET    Joint Expert Embedding Training: the experts share one token embedding (and, tied to it,
 *           the output head); each batch is one language and updates only that language's expert
 *           and the shared embedding.
 *   MoE-CE  JEET plus a common expert trained on every batch; the output is the head applied to the
 *           mean of the routed expert's and the common expert's final hidden states.
 *
 * Each language's expert (or expert + common pair) has its own Adam optimizer, so a shared
 * parameter (the embedding, the common expert) is moved by one optimizer per language, each with
 * its own moment estimates; the batches alternate between languages as in the paper.
 */
import * as tf from "@tensorflow/tfjs";
import { type GPT, type GPTConfig, initialValue, type LanguageModel } from "./gpt";
import { LANGUAGES, type Language } from "./languages";
import type { Router } from "./router";
import { type StepMetrics, type TrainConfig, train } from "./train";

/** Several experts whose final hidden states are averaged, then projected by `head`'s output layer. */
export class MixedExperts implements LanguageModel {
  constructor(
    readonly experts: readonly GPT[],
    private readonly head: GPT = experts[0],
  ) {
    if (experts.length === 0) throw new Error("MixedExperts needs at least one expert");
  }

  get config(): GPTConfig {
    return this.head.config;
  }

  variables(): tf.Variable[] {
    return [...new Set([...this.experts, this.head].flatMap((e) => e.variables()))];
  }

  forward(ids: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const hidden = this.experts.map((e) => e.hiddenStates(ids));
      return this.head.project(tf.addN(hidden).div(hidden.length));
    });
  }
}

/** A token embedding to share between experts, initialised as a GPT's own would be. */
export function sharedEmbedding(config: GPTConfig, seed: number): tf.Variable {
  const init = initialValue("wte", [config.vocabSize, config.dModel], config, seed * 1000);
  const variable = tf.variable(init, true);
  init.dispose();
  return variable;
}

/**
 * Trains several models at once, one step of each in turn (each with its own data and optimizer).
 * Returns every model's step metrics.
 */
export async function trainInTurn(
  runs: { model: LanguageModel; data: Int32Array }[],
  config: TrainConfig,
  teacher: LanguageModel | undefined,
  onStep?: (run: number, m: StepMetrics) => void,
): Promise<StepMetrics[][]> {
  const iterators = runs.map((r) => train(r.model, { train: r.data }, config, { teacher }));
  const curves: StepMetrics[][] = runs.map(() => []);
  for (let step = 0; step < config.steps; step++) {
    for (const [i, it] of iterators.entries()) {
      const next = await it.next();
      if (next.done) continue;
      curves[i].push(next.value);
      onStep?.(i, next.value);
    }
  }
  return curves;
}

/** The language the router gives a validation stream (one decision for the whole text, as in the paper). */
export function routeStream(router: Router, tokens: Int32Array): Language {
  const { label } = router.predict({ ids: Array.from(tokens.subarray(0, 2048)) });
  if (!LANGUAGES.includes(label as Language)) throw new Error(`router: ${label} is not a language`);
  return label as Language;
}
