/**
 * Every size and training setting in one place: the shipped models (exactly the settings that
 * produced public/models), the browser's student sizes, the reproduce settings and router options.
 * The CLI, the pipeline, the workers and the app read them from here.
 */
import type { GPTConfig } from "./gpt";
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from "./train";

/** Tokenizer vocabulary of every shipped model (byte-level BPE). */
export const VOCAB_SIZE = 4096;

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

/**
 * Phase 2: continues from phase 1's weights (as shipped, in data/init/teacher-phase1) with a fresh
 * optimizer and one long cosine schedule: 16000 steps × 1024 tokens ≈ 2.5 epochs of the corpora.
 */
export const TEACHER_TRAIN: TrainConfig = {
  ...TEACHER_PHASE1_TRAIN,
  steps: 16000,
  warmupSteps: 200,
  evalEvery: 500,
  evalBatches: 8,
  seed: 3,
};

/** Teacher checkpoints are committed (one per session) so a later machine can resume. */
export const TEACHER_CHECKPOINT_EVERY = 100;
/** Per-language validation of the teacher, for the curve in docs/RESULTS.md. */
export const TEACHER_LANGUAGE_EVAL = { every: 500, batches: 16 };

/** Experts are at most a quarter of the teacher's non-embedding parameters (checked on creation). */
export const EXPERT_CONFIG: GPTConfig = { ...TEACHER_CONFIG, dModel: 96, nLayers: 3, nHeads: 4 };

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
