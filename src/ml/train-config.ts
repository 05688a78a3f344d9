/**
 * What a training run and an experiment are told (types only): the presets, the training loop and
 * the experiments all read these, so the presets need none of the code.
 */
import type { AlphaSpec } from "./alpha";
import type { GPTConfig } from "./gpt";
import type { KdLoss, LossMode } from "./kd-options";
import type { Language } from "./languages";

export interface TrainConfig {
  steps: number;
  batchSize: number;
  seqLen: number;
  learningRate: number;
  /** Linear warm-up steps, then cosine decay to 10 % of the learning rate. */
  warmupSteps: number;
  /** Clip the global gradient norm to this value (0 = no clipping). */
  gradClip: number;
  seed: number;
  /** Distillation settings; absent = CE only (α = 1, β = 0, no teacher needed). */
  kd?: { loss: KdLoss; temperature: number; alpha: AlphaSpec; mode: LossMode };
  /** Validation every N steps (0 = never) on at most evalBatches batches. */
  evalEvery: number;
  evalBatches: number;
}

export interface ExperimentSettings {
  student: GPTConfig;
  train: TrainConfig;
  languages: readonly Language[];
  /** Validation batches per language when scoring a model. */
  evalBatches: number;
}
