/** What fitting a router takes: the classifier, its features and how it learns. */
import type { BlockId } from "../blocks/registry";
import type { RouterClass } from "../classes";
import type { SparseVector, TermFrequency } from "../features";
import type { ClassifierKind, FeatureSet } from "../router-file";
import type { Steps } from "../steps";

export interface RouterTrainOptions {
  kind: ClassifierKind;
  vocabSize: number;
  features?: FeatureSet;
  /** The classes, in order; every one needs examples. Default: the four languages. */
  classes?: readonly RouterClass[];
  /** Hash buckets of the character n-grams (a power of two). */
  charBuckets?: number;
  /** Raw counts (default, the paper's) or 1 + ln(count). */
  termFrequency?: TermFrequency;
  /** With character n-grams: add the line-layout features (LINE_FEATURES). */
  lineLayout?: boolean;
  /** With character n-grams: add the script features (SCRIPT_FEATURES). */
  scripts?: boolean;
  /** The feature blocks, in order (default: from features, lineLayout and scripts). */
  blocks?: readonly BlockId[];
  epochs?: number;
  /**
   * logreg: return the mean of the weights at the end of each epoch of the second half (averaged
   * SGD), not the last ones: steadier from seed to seed.
   */
  averaged?: boolean;
  /** L2 strength (logreg, svm) or additive smoothing (nb). */
  regularization?: number;
  learningRate?: number;
  /**
   * logreg: SGD with one step decaying by epoch (default; the paper's router) or AdaGrad (a step
   * per weight, shrinking with that weight's own gradients).
   */
  optimizer?: "sgd" | "adagrad";
  seed?: number;
  /** Called after each epoch (SGD classifiers) with the share done. */
  onProgress?: (done: number) => void;
}

/** The options as a fitting method gets them, with the problem's sizes. */
export type FitOptions = RouterTrainOptions & { classCount: number; dimension: number };

/**
 * A fitting method: weights [class][feature] and a bias per class, from examples' vectors. It
 * yields the share done after each epoch (steps.ts runs it at once, or with pauses to stop it).
 */
export type Fit = (
  xs: SparseVector[],
  ys: number[],
  o: FitOptions,
) => Steps<{ weights: Float64Array[]; bias: number[] }>;
