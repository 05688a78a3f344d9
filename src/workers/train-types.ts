/** What the UI and the training worker share: no TensorFlow.js here, so the UI bundle stays small. */
import type { AlphaSpec, LossMode } from "../ml/alpha";
import type { KdLoss } from "../ml/losses";
import type { StudentPreset } from "../ml/presets";

export interface TrainRequest {
  /** Training text (a bundled corpus or the user's own). */
  text: string;
  preset: StudentPreset;
  steps: number;
  learningRate: number;
  seed: number;
  /** Absent: CE only. */
  kd?: { loss: KdLoss; temperature: number; alpha: AlphaSpec; mode: LossMode };
  /** Sequences per step (default BROWSER_TRAIN.batchSize). */
  batchSize?: number;
}

export interface TrainSummary {
  steps: number;
  stopped: boolean;
  parameters: number;
  trainTokens: number;
  valTokens: number;
}
