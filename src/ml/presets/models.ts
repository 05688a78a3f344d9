/**
 * The shipped models: exactly the settings that produced public/models (tokenizer, teacher,
 * experts), and the CLI's defaults for models of its own. Why some are what they are:
 * docs/decisions/model-settings.md.
 */
import type { GPTConfig } from "../gpt";
import type { TrainConfig } from "../train-config";

/** Defaults of a training run (the CLI's `train` options start from these). */
export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  steps: 200,
  batchSize: 8,
  seqLen: 64,
  learningRate: 3e-3,
  warmupSteps: 10,
  gradClip: 1,
  seed: 0,
  evalEvery: 50,
  evalBatches: 8,
};

/** Tokenizer vocabulary of every shipped model (byte-level BPE). */
export const VOCAB_SIZE = 4096;

/** The tokenizer is trained on this much text per language; compression is printed at each size. */
export const TOKENIZER_TRAINING = {
  vocabSize: VOCAB_SIZE,
  bytesPerLanguage: 3_000_000,
  sizesMeasured: [1024, 2048, 4096, 8192],
};

/** The multilingual teacher: 192 wide, 4 layers, context 128 (2.59 M parameters). */
export const TEACHER_CONFIG: GPTConfig = {
  vocabSize: VOCAB_SIZE,
  contextLength: 128,
  dModel: 192,
  nLayers: 4,
  nHeads: 6,
  tiedHead: true,
};

/** Phase 1 of the teacher (the first shipped teacher): 3000 steps from scratch, ≈ 0.5 epoch. */
export const TEACHER_PHASE1_TRAIN: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  steps: 3000,
  batchSize: 8,
  seqLen: 128,
  learningRate: 2e-3,
  warmupSteps: 100,
  evalEvery: 250,
  evalBatches: 8,
  seed: 1,
};

/** Phase 2: from phase 1 (data/init/teacher-phase1), a fresh optimizer and one cosine schedule, ≈ 2.5 epochs. */
export const TEACHER_TRAIN: TrainConfig = {
  ...TEACHER_PHASE1_TRAIN,
  steps: 16000,
  warmupSteps: 200,
  evalEvery: 500,
  evalBatches: 8,
  seed: 3,
};

/** Teacher checkpoints every this many steps, so a stopped run resumes. */
export const TEACHER_CHECKPOINT_EVERY = 100;
/** Per-language validation of the teacher, for the curve in docs/RESULTS.md. */
export const TEACHER_LANGUAGE_EVAL = { every: 500, batches: 16 };

/** Experts are at most a quarter of the teacher's non-embedding parameters (checked on creation). */
export const EXPERT_CONFIG: GPTConfig = { ...TEACHER_CONFIG, dModel: 96, nLayers: 3, nHeads: 4 };

/** How every expert trains (its steps come from EXPERT_STEPS; KD from EXPERT_KD). */
export const EXPERT_TRAIN: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  steps: 800,
  batchSize: 8,
  seqLen: 128,
  learningRate: 3e-3,
  warmupSteps: 50,
  evalEvery: 200,
  evalBatches: 8,
  seed: 2,
};

/** Shipped experts are distilled with this (forward KL·T², T = 2, the paper's adaptive α). */
export const EXPERT_KD: NonNullable<TrainConfig["kd"]> = {
  loss: "forward",
  temperature: 2,
  alpha: { kind: "adaptive" },
  mode: "combined",
};

/** Steps of each shipped expert and of its CE-only twin (why these: docs/decisions/model-settings.md). */
export const EXPERT_STEPS = { en: 3000, fr: 3000, de: 3000, py: 4000, common: 12000 } as const;
/** The shorter runs each long expert continued, in order (why: docs/decisions/model-settings.md). */
export const EXPERT_STEPS_EXTENDED_FROM: Partial<
  Record<keyof typeof EXPERT_STEPS, readonly number[]>
> = { common: [8000, 10000] };

/** A model made by the CLI's `train` without --init: these sizes unless given. */
export const CLI_MODEL_DEFAULTS = { contextLength: 128, dModel: 128, nLayers: 4, nHeads: 4 };
/** Share of a training text held out for validation when no validation text is given. */
export const CLI_VALIDATION_FRACTION = 0.05;
