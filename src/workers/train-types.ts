/** The training worker's API as the UI sees it: types only, so the UI bundle holds no TensorFlow.js. */
import type { AlphaSpec } from "../ml/alpha";
import type { BackendChoice, BackendName } from "../ml/backend-names";
import type { KdLoss, LossMode } from "../ml/kd-options";
import type { StudentPreset } from "../ml/presets";
import type { StepMetrics } from "../ml/train";

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

export interface TrainWorkerApi {
  init(forced?: BackendName): Promise<BackendChoice>;
  /**
   * Starts the backend (the one the app uses), then loads the tokenizer and, to distil, the
   * teacher; `onTeacherProgress` hears the teacher's bytes as they arrive (the first time only).
   */
  prepare(
    modelsUrl: string,
    withTeacher: boolean,
    forced?: BackendName,
    onTeacherProgress?: (loadedBytes: number, totalBytes: number) => void,
  ): Promise<{ backend: BackendName; teacherParameters: number | null }>;
  /**
   * Trains a fresh student; `onStep` receives every step's metrics. Resolves when training ends
   * (all steps, or stopped). The trained student stays in the worker for export.
   */
  train(request: TrainRequest, onStep: (m: StepMetrics) => void): Promise<TrainSummary>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** The trained student's files (tfjs weights format), for download or for the model worker. */
  exportStudent(): Promise<{ name: string; bytes: Uint8Array }[]>;
  /** Loses the WebGPU device: for testing the page's recovery. */
  simulateDeviceLoss(): void;
  /** Throws outside any call, as a real crash would: for testing the page's recovery. */
  simulateCrash(): void;
}
