/** The training worker's API as the UI sees it: types only, so the UI bundle holds no TensorFlow.js. */
import type { AlphaSpec } from "../ml/alpha";
import type { BackendChoice, BackendName } from "../ml/backend-names";
import type { ForgettingResult } from "../ml/experiments";
import type { KdLoss, LossMode } from "../ml/kd-options";
import type { LaneSpec } from "../ml/lanes";
import type { Language } from "../ml/languages";
import type { LiveKnobs, StepMetrics } from "../ml/train";

/** One student of a run: a race trains 2–4 of them at once, in lock-step, on the same batches. */
export interface LaneRequest extends LaneSpec {
  kd?: { loss: KdLoss; temperature: number; alpha: AlphaSpec; mode: LossMode };
}

export interface TrainRequest {
  /** Training text (a bundled corpus or the user's own). */
  text: string;
  steps: number;
  seed: number;
  /** Sequences per step (default BROWSER_TRAIN.batchSize). */
  batchSize?: number;
  lanes: LaneRequest[];
}

export interface TrainSummary {
  steps: number;
  stopped: boolean;
  parameters: number;
  trainTokens: number;
  valTokens: number;
}

/** The forgetting experiment at lesson size, on the four bundled corpora. */
export interface ForgettingRequest {
  modelsUrl: string;
  texts: Record<Language, string>;
  stepsPerPhase: number;
  seed: number;
}

/** "Add a language": a new expert, and a fine-tuned copy of a shared model for contrast. */
export interface AddLanguageRequest {
  modelsUrl: string;
  /** The new language's class id and its text (the last tenth held out to score it). */
  language: string;
  text: string;
  /** Held-out text of each language the shared model knew, to score it before and after. */
  heldOut: Record<string, string>;
  distil: boolean;
  steps: number;
  seed: number;
}

export interface AddLanguageResult {
  /** The new expert's files (tfjs weights format), for the model worker. */
  expertFiles: { name: string; bytes: Uint8Array }[];
  expertParameters: number;
  /** The new expert's validation perplexity on its language. */
  expertPerplexity: number;
  /** The shared model (the common expert) fine-tuned on the new language: perplexity per language. */
  shared: { name: string; before: Record<string, number>; after: Record<string, number> };
  seconds: number;
}

export interface TrainWorkerApi {
  init(forced?: BackendName): Promise<BackendChoice>;
  /**
   * Starts the backend (the one the app uses), then loads the tokenizer and, to distil, the
   * teacher; `onTeacherProgress` hears the teacher's bytes as they arrive (the first time only).
   */
  /**
   * Distils from a teacher of the user's (its files: a GPT-2-format Hugging Face folder with our
   * vocabulary, or a model saved here), or again from the shipped one (`files` null). The teacher
   * caches key on its files' checksums.
   */
  useTeacher(
    modelsUrl: string,
    files: { name: string; bytes: Uint8Array }[] | null,
  ): Promise<{ parameters: number } | null>;
  prepare(
    modelsUrl: string,
    withTeacher: boolean,
    forced?: BackendName,
    onTeacherProgress?: (loadedBytes: number, totalBytes: number) => void,
  ): Promise<{ backend: BackendName; teacherParameters: number | null }>;
  /**
   * Trains a fresh student per lane, the lanes in lock-step on the same batches (the teacher's
   * outputs computed once per batch); `onStep` receives every lane's metrics. Resolves when training
   * ends (all steps, or stopped), one summary per lane. The students stay in the worker for export.
   */
  train(
    request: TrainRequest,
    onStep: (lane: number, m: StepMetrics) => void,
  ): Promise<TrainSummary[]>;
  /**
   * Runs the forgetting experiment (sequential, balanced, experts behind the paper's router) with
   * the code `npm run reproduce` runs; `onProgress` hears every step, `onPhase` the result so far
   * after each phase. Stop ends it early with the phases done.
   */
  forgetting(
    request: ForgettingRequest,
    onProgress: (done: number, total: number, label: string) => void,
    onPhase: (partial: ForgettingResult) => void,
  ): Promise<ForgettingResult>;
  /**
   * Trains a new expert on a language (distilled from the teacher, or CE only) and, on the same
   * text and steps, a fine-tuned copy of the shared common expert, scored on every language before
   * and after. `onProgress` hears each step of both. Needs prepare(…, distil) first.
   */
  addLanguage(
    request: AddLanguageRequest,
    onProgress: (done: number, total: number, label: string) => void,
  ): Promise<AddLanguageResult>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Changes a lane's learning rate, fixed α or KD temperature from its next step. */
  setKnobs(lane: number, knobs: LiveKnobs): void;
  /** A trained student's files (tfjs weights format), for download or for the model worker. */
  exportStudent(lane: number): Promise<{ name: string; bytes: Uint8Array }[]>;
  /** Loses the WebGPU device: for testing the page's recovery. */
  simulateDeviceLoss(): void;
  /** Throws outside any call, as a real crash would: for testing the page's recovery. */
  simulateCrash(): void;
}
