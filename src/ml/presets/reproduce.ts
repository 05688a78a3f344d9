/** The paper's experiments (`npm run reproduce`): full size, and --quick for CI. */
import type { GPTConfig } from "../gpt";
import { LANGUAGES } from "../languages";
import type { ExperimentSettings, TrainConfig } from "../train-config";
import { DEFAULT_TRAIN_CONFIG, EXPERT_KD, VOCAB_SIZE } from "./models";
import { ROUTER_EVAL_SNIPPETS, ROUTER_EXAMPLES_PER_LANGUAGE } from "./router";

/** What each of the paper's experiments runs with. */
export interface ReproduceSettings {
  kd: ExperimentSettings;
  forgetting: ExperimentSettings;
  moe: ExperimentSettings;
  routerExamplesPerLanguage: number;
  routerEvalSnippets: number;
  /** --quick only: the tiny teacher trained on the spot. */
  quickTeacher: { config: GPTConfig; train: TrainConfig };
}

function reproduceSettings(
  student: GPTConfig,
  train: TrainConfig,
  o: {
    kdLanguages: ExperimentSettings["languages"];
    evalBatches: number;
    forgettingSteps: number;
    moeSteps: number;
    routerExamples: number;
    routerEval: number;
  },
): ReproduceSettings {
  const kd: ExperimentSettings = {
    student,
    train,
    languages: o.kdLanguages,
    evalBatches: o.evalBatches,
  };
  const forgetting = {
    ...kd,
    train: { ...train, steps: o.forgettingSteps, evalEvery: 0 },
    languages: LANGUAGES,
  };
  return {
    kd,
    forgetting,
    moe: {
      ...forgetting,
      train: { ...train, steps: o.moeSteps, evalEvery: 0, kd: EXPERT_KD },
    },
    routerExamplesPerLanguage: o.routerExamples,
    routerEvalSnippets: o.routerEval,
    quickTeacher: {
      config: { ...student, dModel: 32, nLayers: 2 },
      train: { ...DEFAULT_TRAIN_CONFIG, steps: 20, batchSize: 4, seqLen: 32, evalEvery: 0 },
    },
  };
}

/** The full-size reproduction's training run (the student's steps, batches and seed). */
const REPRODUCE_FULL_TRAIN: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  steps: 300,
  batchSize: 8,
  seqLen: 128,
  learningRate: 3e-3,
  warmupSteps: 30,
  evalEvery: 50,
  evalBatches: 8,
  seed: 7,
};

/** Full size: the shipped teacher, the full corpora, a 64-wide 2-layer student. */
export const REPRODUCE_FULL = reproduceSettings(
  { vocabSize: VOCAB_SIZE, contextLength: 128, dModel: 64, nLayers: 2, nHeads: 4, tiedHead: true },
  REPRODUCE_FULL_TRAIN,
  {
    kdLanguages: ["fr", "py"],
    evalBatches: 16,
    forgettingSteps: 200,
    moeSteps: 150,
    routerExamples: ROUTER_EXAMPLES_PER_LANGUAGE,
    routerEval: ROUTER_EVAL_SNIPPETS,
  },
);

/** --quick: tiny everything, a pipeline check for CI (its numbers mean nothing). */
export const REPRODUCE_QUICK = reproduceSettings(
  { vocabSize: VOCAB_SIZE, contextLength: 32, dModel: 16, nLayers: 1, nHeads: 2, tiedHead: true },
  {
    ...REPRODUCE_FULL_TRAIN,
    steps: 12,
    batchSize: 2,
    seqLen: 32,
    warmupSteps: 2,
    evalEvery: 6,
    evalBatches: 2,
  },
  {
    kdLanguages: ["fr"],
    evalBatches: 2,
    forgettingSteps: 6,
    moeSteps: 4,
    routerExamples: 150,
    routerEval: 20,
  },
);
