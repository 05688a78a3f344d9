/**
 * Fits a router's weights on labelled examples: the idf on the examples, then the classifier
 * chosen by `kind` (one file per fitting method). Its "none of these" thresholds come after
 * (calibration.ts; fitting.ts does both).
 */

import { DEFAULT_CHAR_BUCKETS } from "../blocks/chars";
import { LANGUAGE_CLASSES } from "../classes";
import { FeatureCounter, featureLayout, featureVector, fitIdf } from "../features";
import { Router } from "../model";
import type { RouterExample } from "../reading";
import { blocksOf, type ClassifierKind, type RouterJson } from "../router-file";
import { runSteps, type Steps } from "../steps";
import { fitAdagrad } from "./adagrad";
import { fitNaiveBayes } from "./naive-bayes";
import type { Fit, RouterTrainOptions } from "./options";
import { fitSgd } from "./sgd";
import { fitSvm } from "./svm";

/** Each classifier's fitting method (logistic regression by SGD unless told AdaGrad). */
const FIT_METHODS: Record<ClassifierKind, Fit> = {
  logreg: (xs, ys, o) => (o.optimizer === "adagrad" ? fitAdagrad(xs, ys, o) : fitSgd(xs, ys, o)),
  nb: fitNaiveBayes,
  svm: fitSvm,
};

/** Fits a router's weights at once (`options.onProgress` hears each epoch). */
export function trainRouter(
  examples: readonly RouterExample[],
  options: RouterTrainOptions,
): Router {
  return runSteps(trainRouterSteps(examples, options), options.onProgress);
}

/** The fit as steps (steps.ts): the share done after each epoch, then the router. */
export function* trainRouterSteps(
  examples: readonly RouterExample[],
  options: RouterTrainOptions,
): Steps<Router> {
  const classes = options.classes ?? LANGUAGE_CLASSES;
  const features = options.features ?? "tokens";
  if (examples.length === 0) throw new Error("router: no training examples");
  for (const c of classes)
    if (!examples.some((e) => e.label === c.id))
      throw new Error(`router: no training examples for ${c.id}`);
  const ids = classes.map((c) => c.id);
  const unknown = examples.find((e) => !ids.includes(e.label));
  if (unknown) throw new Error(`router: example labelled ${unknown.label}, not a class`);
  const blocks = [...(options.blocks ?? blocksOf(features, options))];
  const sizes = {
    vocabSize: options.vocabSize,
    charBuckets: blocks.includes("chars") ? (options.charBuckets ?? DEFAULT_CHAR_BUCKETS) : 0,
  };
  const termFrequency = options.termFrequency ?? "raw";
  const counter = new FeatureCounter(featureLayout(blocks, sizes, termFrequency));
  const idf = fitIdf(examples, counter);
  const xs = examples.map((e) => featureVector(e, counter, idf));
  const ys = examples.map((e) => ids.indexOf(e.label));
  const { weights, bias } = yield* FIT_METHODS[options.kind](xs, ys, {
    ...options,
    classCount: classes.length,
    dimension: counter.layout.dimension,
  });
  const round = (v: number) => Number(v.toPrecision(5));
  return Router.fromJSON({
    format: "mome-router",
    version: 3,
    kind: options.kind,
    classes: classes.map((c) => ({ ...c })),
    blocks,
    ...sizes,
    termFrequency,
    noneThresholds: [],
    idf: Array.from(idf, round),
    weights: weights.map((row) => Array.from(row, round)),
    bias: bias.map(round),
  } satisfies RouterJson);
}
