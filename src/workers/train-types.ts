/** What the UI and the training worker share: no TensorFlow.js here, so the UI bundle stays small. */
import type { AlphaSpec, LossMode } from "../ml/alpha";
import type { KdLoss } from "../ml/losses";

/** Student sizes offered in the app (vocabulary 4096, context 64: quick enough in a browser). */
export const STUDENT_PRESETS = {
  tiny: { dModel: 32, nLayers: 1, nHeads: 2 },
  small: { dModel: 64, nLayers: 2, nHeads: 4 },
  medium: { dModel: 96, nLayers: 3, nHeads: 4 },
} as const;
export type StudentPreset = keyof typeof STUDENT_PRESETS;

/** Pasted or uploaded training text may be at most this large. */
export const MAX_TEXT_BYTES = 5 * 1024 * 1024;

export interface TrainRequest {
  /** Training text (a bundled corpus or the user's own). */
  text: string;
  preset: StudentPreset;
  steps: number;
  learningRate: number;
  seed: number;
  /** Absent: CE only. */
  kd?: { loss: KdLoss; temperature: number; alpha: AlphaSpec; mode: LossMode };
  batchSize?: number;
  seqLen?: number;
}

export interface TrainSummary {
  steps: number;
  stopped: boolean;
  parameters: number;
  trainTokens: number;
  valTokens: number;
}
