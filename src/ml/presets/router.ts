/**
 * The router's settings: its classifier options, the shipped routers' data, and the Router lab's.
 * Why they are what they are: docs/decisions/router-settings.md.
 */
import type { RouterTrainOptions } from "../router/fit/options";
import type { ClassifierKind, FeatureSet } from "../router/router-file";

/** The router's classifier options, the same in the pipeline, the CLI, reproduce and the browser (why: docs/decisions/router-settings.md). */
export function routerFitOptions(
  kind: ClassifierKind,
  vocabSize: number,
  features: FeatureSet = "tokens",
): RouterTrainOptions {
  const adagrad = kind === "logreg" && features !== "tokens";
  return {
    kind,
    vocabSize,
    features,
    seed: 1,
    regularization: kind === "nb" ? undefined : adagrad ? 0 : 1e-5,
    epochs: features === "tokens" ? 30 : ROUTER_CHAR_EPOCHS,
    ...(features === "tokens"
      ? {}
      : { termFrequency: "sublinear", averaged: true, lineLayout: true, scripts: true }),
    ...(adagrad ? { optimizer: "adagrad", learningRate: ROUTER_ADAGRAD_RATE } : {}),
  };
}

/** The default router learns by AdaGrad at this rate, without weight decay (why: docs/decisions/router-settings.md). */
export const ROUTER_ADAGRAD_RATE = 0.05;

/** Code-class snippets up to this length that read as prose are left out of training (why: docs/decisions/router-settings.md). */
export const ROUTER_BARE_PROSE_MAX_CHARS = 60;
/** Epochs of the SGD classifiers with character n-grams (ten times the features of the paper's). */
export const ROUTER_CHAR_EPOCHS = 12;
/** The shipped router's "none of these" threshold keeps false "none" on validation at most this. */
export const ROUTER_MAX_FALSE_NONE = 0.003;

/** The Router lab (browser, bundled corpora): snippets per class, held-out snippets per length, share held out. */
export const ROUTER_LAB = { examples: 1200, evalSnippets: 100, heldOut: 0.15 };

/** Router training snippets per language for the reproduction and the CLI's train-router. */
export const ROUTER_EXAMPLES_PER_LANGUAGE = 5000;
/** Training snippets per text for the shipped routers (why: docs/decisions/router-settings.md). */
export const SHIPPED_ROUTER_EXAMPLES_PER_TEXT = 20000;
/** "None of these" gets this many times the snippets of a text (why, and what it trades: docs/decisions/router-settings.md). */
export const SHIPPED_ROUTER_NONE_TEXT_SHARE = 2;
/** The en/fr/de router text gets this many times the snippets of a text (why: docs/decisions/router-settings.md). */
export const SHIPPED_ROUTER_PROSE_TEXT_SHARE = 2;
/** Held-out snippets per language and length when scoring a router. */
export const ROUTER_EVAL_SNIPPETS = 250;
/** Snippets per language and length in the out-of-domain and "none" sets (why: docs/decisions/router-settings.md). */
export const ROUTER_OUT_OF_DOMAIN_SNIPPETS = 1000;
