/**
 * The one way a router is fitted here: its weights on training examples (fit/train.ts), then its
 * "none of these" thresholds on held-out ones (calibration.ts). The pipeline, the CLI's
 * train-router, the Router lab and Add a language all fit through fitRouter.
 */
import { splitDocuments } from "../data";
import { routerFitOptions } from "../presets/router";
import { chooseNoneThresholds } from "./calibration";
import type { RouterClass } from "./classes";
import { codeClassIds, routerDataset } from "./dataset";
import type { RouterTrainOptions } from "./fit/options";
import { trainRouterSteps } from "./fit/train";
import { type RouterScore, scoreRouter } from "./metrics";
import type { Router } from "./model";
import type { RouterExample } from "./reading";
import type { ClassifierKind, FeatureSet, NoneThreshold } from "./router-file";
import { runSteps, type Steps, within } from "./steps";

export interface FittedRouter {
  /** The router to use: fitted, with its thresholds. */
  router: Router;
  thresholds: NoneThreshold[];
  /** The first fit's weights, before calibration (what held-out scores of the weights read). */
  uncalibrated: Router;
}

/**
 * Fits a router's weights on `train`, then chooses its "none of these" thresholds on
 * `calibration` (by length; none for a router without a none class). With `refitOn`, the weights
 * are fitted once more on those examples (all of them, say), keeping the thresholds chosen for
 * the first fit.
 */
export function fitRouter(
  train: readonly RouterExample[],
  calibration: Map<number, RouterExample[]>,
  options: FitRouterOptions,
): FittedRouter {
  return runSteps(fitRouterSteps(train, calibration, options), options.onProgress);
}

type FitRouterOptions = RouterTrainOptions & {
  maxFalseNone: number;
  refitOn?: readonly RouterExample[];
};

/** fitRouter as steps (steps.ts). */
export function* fitRouterSteps(
  train: readonly RouterExample[],
  calibration: Map<number, RouterExample[]>,
  options: FitRouterOptions,
): Steps<FittedRouter> {
  const { maxFalseNone, refitOn, ...fitOptions } = options;
  const firstShare = refitOn ? 0.5 : 1;
  const uncalibrated = yield* within(trainRouterSteps(train, fitOptions), 0, firstShare);
  const thresholds = chooseNoneThresholds(uncalibrated, calibration, maxFalseNone);
  const weights = refitOn
    ? yield* within(trainRouterSteps(refitOn, fitOptions), firstShare, 1)
    : uncalibrated;
  return { router: weights.withNoneThresholds(thresholds), thresholds, uncalibrated };
}

export interface LabRouterOptions {
  kind: ClassifierKind;
  vocabSize: number;
  features: FeatureSet;
  classes: readonly RouterClass[];
  /** Training snippets per class. */
  examples: number;
  /** Held-out snippets per class and length. */
  evalSnippets: number;
  /** Share of each text (its last documents) held out for scoring. */
  heldOut: number;
  maxFalseNone: number;
  seed: number;
}

export interface LabRouterReport extends RouterScore {
  classes: string[];
  seconds: number;
  trainingExamples: number;
}

/**
 * A router fitted on texts (one per class) as the Router lab does it (as steps, steps.ts): the last `heldOut` of each
 * text's documents is kept apart, training snippets come from the rest, and the router is scored
 * by length on snippets of the held-out part (its "none of these" thresholds chosen there too).
 */
export function* fitLabRouter(
  texts: readonly { label: string; text: string }[],
  encode: (s: string) => number[],
  options: LabRouterOptions,
): Steps<{ router: Router; report: LabRouterReport }> {
  const started = performance.now();
  const split = texts.map(({ label, text }) => {
    const docs = splitDocuments(text);
    const cut = Math.max(1, Math.floor(docs.length * (1 - options.heldOut)));
    return { label, train: docs.slice(0, cut).join("\n\n"), val: docs.slice(cut).join("\n\n") };
  });
  const { train, evalByLength } = routerDataset(split, encode, {
    perLanguage: options.examples,
    evalSnippets: options.evalSnippets,
    codeClasses: codeClassIds(options.classes, options.features),
  });
  const { router } = yield* fitRouterSteps(train, evalByLength, {
    ...routerFitOptions(options.kind, options.vocabSize, options.features),
    classes: options.classes,
    seed: options.seed,
    maxFalseNone: options.maxFalseNone,
  });
  return {
    router,
    report: {
      ...scoreRouter(router, evalByLength),
      classes: router.classes.map((c) => c.id),
      seconds: (performance.now() - started) / 1000,
      trainingExamples: train.length,
    },
  };
}
