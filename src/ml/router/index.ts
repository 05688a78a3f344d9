/**
 * The router, one job per file:
 *   reading.ts       what it reads of a text (no emoji, no quotes in another script)
 *   blocks/          one file per feature block, listed by id in blocks/registry.ts
 *   features.ts      the blocks side by side: counting, idf, normalising
 *   router-file.ts   the file format and its checks (versions 2 and 3)
 *   model.ts         the Router: load, check, predict
 *   explain.ts       why it decided
 *   fit/             one file per fitting method; fit/train.ts fits the weights
 *   calibration.ts   the "none of these" thresholds
 *   fitting.ts       fit, then calibrate: the one path every caller takes
 *   steps.ts         long fits as steps: run at once, or with pauses so that Stop is heard
 *   dataset.ts       snippets and examples from texts
 *   metrics.ts       how well it does
 */
export { DEFAULT_CHAR_BUCKETS } from "./blocks/chars";
export { LINE_FEATURES } from "./blocks/lines";
export { BLOCK_IDS, type BlockId, FEATURE_BLOCKS, type FeatureKind } from "./blocks/registry";
export { SCRIPT_FEATURES } from "./blocks/scripts";
export { chooseNoneThresholds } from "./calibration";
export { LANGUAGE_CLASSES, NONE, NONE_CLASS, type RouterClass } from "./classes";
export {
  codeClassIds,
  documentOpenings,
  EVAL_LENGTHS,
  evalSnippets,
  isBareProse,
  type LanguageText,
  routerDataset,
  snippets,
  toExamples,
  trainingSnippets,
} from "./dataset";
export {
  type CharEvidence,
  explainRoute,
  type Feature,
  type Push,
  type RouteExplanation,
  type TokenEvidence,
} from "./explain";
export { TERM_FREQUENCIES, type TermFrequency } from "./features";
export type { RouterTrainOptions } from "./fit/options";
export { trainRouter, trainRouterSteps } from "./fit/train";
export {
  type FittedRouter,
  fitLabRouter,
  fitRouter,
  fitRouterSteps,
  type LabRouterOptions,
  type LabRouterReport,
} from "./fitting";
export {
  accuracyByLength,
  type ClassReport,
  classificationReport,
  noneRateByLength,
  type RouterScore,
  scoreRouter,
} from "./metrics";
export { type Prediction, Router } from "./model";
export {
  type Reading,
  type RouterExample,
  type RouterInput,
  routerInput,
  routerReading,
} from "./reading";
export {
  CLASSIFIERS,
  type ClassifierKind,
  FEATURE_SETS,
  type FeatureSet,
  type NoneThreshold,
  type RouterJson,
} from "./router-file";
export { runSteps, runStepsAsync, type Steps, StoppedError } from "./steps";
