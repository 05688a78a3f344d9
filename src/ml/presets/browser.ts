/** The browser's settings: student sizes, lesson sizes, limits on what a user gives it. */
import { COMMON_EXPERT, LANGUAGES } from "../languages";
import type { ExperimentSettings, TrainConfig } from "../train-config";
import { DEFAULT_TRAIN_CONFIG } from "./models";

/** The browser keeps a teacher cache (teacher-cache.ts) only up to this size. */
export const MAX_TEACHER_CACHE_BYTES = 64 * 2 ** 20;

/** Student sizes offered in the app (context = BROWSER_TRAIN.seqLen: quick enough in a browser). */
export const STUDENT_PRESETS = {
  tiny: { dModel: 32, nLayers: 1, nHeads: 2 },
  small: { dModel: 64, nLayers: 2, nHeads: 4 },
  medium: { dModel: 96, nLayers: 3, nHeads: 4 },
} as const;
export type StudentPreset = keyof typeof STUDENT_PRESETS;

/** Pasted or uploaded training text may be at most this large. */
export const MAX_TEXT_BYTES = 5 * 1024 * 1024;
/** A text shorter than this (after trimming) is refused before it reaches the worker. */
export const MIN_TEXT_CHARS = 1000;
/** The worker refuses a text of fewer tokens than this. */
export const MIN_TRAIN_TOKENS = 200;

/** Generations behind each decoding rate of `npm run bench` (the median is printed). */
export const BENCH_DECODE_REPEATS = 5;

/** "Check this computer": small enough to finish in seconds even on a software GPU. */
export const COMPUTER_CHECK = { matmulSize: 256, newTokens: 8, trainSteps: 2 };

/** A race trains at most this many students at once. */
export const MAX_LANES = 4;

/** How the browser trains a student; the UI chooses preset, steps, learning rate, seed and KD. */
export const BROWSER_TRAIN = {
  /** Lesson size: a run or a race in a minute (docs/decisions/model-settings.md). */
  batchSize: 4,
  defaultSteps: 120,
  seqLen: 64,
  /** The last tenth of the text is held out for validation. */
  validationFraction: 0.1,
  /** Warm-up: a tenth of the steps, at most 20. */
  warmupFraction: 0.1,
  maxWarmupSteps: 20,
  /** About 20 validation points per run, at least 2 steps apart, on 4 batches each. */
  validationPoints: 20,
  minEvalEvery: 2,
  evalBatches: 4,
};

/** The training configuration of a browser run. */
export function browserTrainConfig(run: {
  steps: number;
  learningRate: number;
  seed: number;
  batchSize?: number;
  kd?: TrainConfig["kd"];
}): TrainConfig {
  const b = BROWSER_TRAIN;
  return {
    ...DEFAULT_TRAIN_CONFIG,
    steps: run.steps,
    batchSize: run.batchSize ?? b.batchSize,
    seqLen: b.seqLen,
    learningRate: run.learningRate,
    warmupSteps: Math.min(b.maxWarmupSteps, Math.floor(run.steps * b.warmupFraction)),
    seed: run.seed,
    evalEvery: Math.max(b.minEvalEvery, Math.round(run.steps / b.validationPoints)),
    evalBatches: b.evalBatches,
    kd: run.kd,
  };
}

/** "Add a language" at lesson size: a small expert, 120 steps, and as many fine-tuning the common expert. */
export const ADD_LANGUAGE = {
  preset: "small" as StudentPreset,
  steps: 120,
  learningRate: 3e-3,
  evalBatches: 4,
  /** The shared model fine-tuned for contrast. */
  shared: COMMON_EXPERT,
};

/** The Forgetting tab at lesson size: the tiny student, 60 steps a phase (720 in all, under two minutes). */
export const FORGETTING_LESSON = {
  preset: "tiny" as StudentPreset,
  stepsPerPhase: 60,
  learningRate: 3e-3,
  /** Validation batches per language after each phase. */
  evalBatches: 4,
};

/** The forgetting experiment's settings in the browser (the same code as `npm run reproduce`). */
export function forgettingLessonSettings(
  vocabSize: number,
  stepsPerPhase: number,
  seed: number,
): ExperimentSettings {
  const train = browserTrainConfig({
    steps: stepsPerPhase,
    learningRate: FORGETTING_LESSON.learningRate,
    seed,
  });
  return {
    student: {
      vocabSize,
      contextLength: train.seqLen,
      tiedHead: true,
      ...STUDENT_PRESETS[FORGETTING_LESSON.preset],
    },
    train,
    languages: LANGUAGES,
    evalBatches: FORGETTING_LESSON.evalBatches,
  };
}
