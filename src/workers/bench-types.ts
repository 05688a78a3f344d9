/** The speed-check worker's API as the UI sees it (types only: no TensorFlow.js in the UI). */
import type { BackendAttempt, BackendName, MeasuredBackends } from "../ml/backend-names";
import type { GPTConfig } from "../ml/gpt";

export interface ComputerCheckRow {
  backend: BackendName;
  /** Why the backend could not start; the figures are absent then. */
  problem?: BackendAttempt;
  /** A software GPU: only its matrix products are measured (the app does not use it). */
  software?: BackendAttempt;
  matmulGflops?: number;
  generationTokensPerSec?: number;
  trainingTokensPerSec?: number;
}

/** What the speed check is doing: starting a backend, or measuring one kind of work on it. */
export interface CheckStep {
  backend: BackendName;
  phase: "starting" | "matmul" | "generation" | "training";
}

export interface ComputerCheck {
  rows: ComputerCheckRow[];
  /** The backends the app picks from these figures (the fastest for each kind of work). */
  fastest: { generation: BackendName; training: BackendName } | null;
}

export interface BenchWorkerApi {
  /** Measures every backend that starts, one after the other; `onProgress` names each step. */
  checkComputer(onProgress: (step: CheckStep) => void): Promise<ComputerCheck>;
  /**
   * The first visit's measurement: generation and training on each backend that starts, skipping
   * software GPUs (far slower than WASM) and the plain-JavaScript CPU backend unless nothing else
   * starts; a warm-up and a few steps of each kind per backend.
   */
  measureBackends(): Promise<MeasuredBackends>;
  /**
   * Greedy generation tokens/s of a model of this shape on `backend` (the CLI bench's measure),
   * through FastDecoder or the TensorFlow.js forward (`fastDecoding`; default FastDecoder).
   */
  generationSpeed(
    backend: BackendName,
    config: GPTConfig,
    newTokens: number,
    fastDecoding?: boolean,
    repeats?: number,
  ): Promise<number>;
  /** FastDecoder against the forward on `backend` (bench.ts decodingAgreement). */
  decodingAgreement(
    backend: BackendName,
    config: GPTConfig,
  ): Promise<{ worst: number; sameTokens: boolean; simd: boolean }>;
}
