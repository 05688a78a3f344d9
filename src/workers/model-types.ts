/**
 * The model worker's API, as the UI sees it (comlink): types only, so the UI bundle holds no
 * TensorFlow.js. The worker (model.worker.ts) implements exactly this.
 */
import type { BackendChoice, BackendName } from "../ml/backend-names";
import type { GPTConfig } from "../ml/gpt";
import type { ModelManifest } from "../ml/manifest";
import type { ClassifierKind, FeatureSet, LabRouterReport, RouterJson } from "../ml/router";
import type { OtherRouter } from "./router-types";

/** The router class a prompt was read as (its id and display name; "none" goes to the common expert). */
export interface RoutedTo {
  id: string;
  name: string;
}

export interface LabRouterRequest {
  kind: ClassifierKind;
  features: FeatureSet;
  /** The bundled corpora: en, fr, de, py, and "none" text when the features are the default ones. */
  texts: { label: string; text: string }[];
  seed: number;
}

export interface AddClassRequest {
  language: { id: string; name: string };
  /** The bundled corpora of every class (en, fr, de, py, none) and the new language's text. */
  texts: { label: string; text: string }[];
  seed: number;
}

/** One click of Generate: the teacher and one student continue the same prompt. */
export interface CompareRequest {
  modelsUrl: string;
  prompt: string;
  /**
   * "routed": the expert the router picks for the prompt (the common expert for an empty prompt);
   * else a loaded model's name (a shipped expert such as "expert-fr", or a student loaded from files).
   */
  student: "routed" | string;
  temperature: number;
  topK: number;
  topP: number;
  seed: number;
  maxTokens: number;
}

export interface GenerationUpdate {
  model: string;
  text: string;
  tokens: number;
  tokensPerSec: number;
  firstTokenMs: number;
}

/** What a compare call reports while it runs, in this order. */
export type CompareProgress =
  | { kind: "student"; student: string; routedTo?: RoutedTo }
  | { kind: "loading"; loadedBytes: number; totalBytes: number }
  | { kind: "loaded"; teacherParameters: number; studentParameters: number }
  | { kind: "token"; update: GenerationUpdate };

export interface GenerationResult {
  /** True when `stopGeneration` ended it early. */
  stopped: boolean;
  /** The student that generated, and the language the router read in the prompt (routed only). */
  student: string;
  routedTo?: RoutedTo;
  outputs: { model: string; ids: number[]; pieces: string[] }[];
  /** KL(teacher ‖ student) of the next-token distributions at each piece of the student's output. */
  kl?: number[];
}

export interface LoadedModel {
  config: GPTConfig;
  parameters: number;
}

export interface ModelWorkerApi {
  /** Starts TensorFlow.js on the first backend that works (or only on `forced`); later calls share it. */
  init(forced?: BackendName): Promise<BackendChoice>;
  /** The shipped models' manifest, validated (fetched once per URL). */
  manifest(modelsUrl: string): Promise<ModelManifest>;
  /** Loads a shipped GPT once; every file is checked against the manifest's sha256 and size. */
  loadModel(
    modelsUrl: string,
    name: string,
    onProgress?: (loadedBytes: number, totalBytes: number) => void,
  ): Promise<LoadedModel>;
  /** Loads a model from its files (e.g. a trained student), replacing any of that name. */
  loadModelFromFiles(
    name: string,
    files: { name: string; bytes: Uint8Array }[],
  ): Promise<LoadedModel>;
  /**
   * A model as a Hugging Face folder (config.json, model.safetensors, tokenizer files,
   * onnx/model.onnx, a model card), zipped: a shipped one, or one from its files (a student).
   */
  huggingFaceZip(
    model:
      | { shipped: string; modelsUrl: string }
      | { files: { name: string; bytes: Uint8Array }[]; name: string },
  ): Promise<Uint8Array>;
  /** Loads the tokenizer and the router (once); no tensors involved. */
  loadRouting(modelsUrl: string): Promise<{ vocabSize: number }>;
  /**
   * Router lab: fits a router on these texts (one per class; "none" for none of these) and scores
   * it on their held-out part; `onProgress` hears the share done. The router is kept for `setActiveRouter`.
   */
  trainLabRouter(
    request: LabRouterRequest,
    onProgress: (done: number) => void,
  ): Promise<LabRouterReport>;
  /**
   * "Add a language": re-fits the router on these texts with one more class (the new language,
   * routed to `expert-<id>`) and scores it. It routes once `useAddedRouter` installs it, so a run
   * stopped before then leaves the routers as they were.
   */
  addRouterClass(
    request: AddClassRequest,
    onProgress: (done: number) => void,
  ): Promise<LabRouterReport>;
  /** Routes with the router `addRouterClass` fitted, from now on. */
  useAddedRouter(): void;
  /**
   * Stops a running `trainLabRouter` or `addRouterClass` at its next step: it rejects with
   * "stopped", and the routers stay as they were.
   */
  stopRouterFit(): void;
  /**
   * Each shipped expert's perplexity on its language's held-out text and the sha256 of its weights:
   * taken before and after adding a language, to show that the experts are untouched.
   */
  expertFingerprints(
    modelsUrl: string,
    heldOut: Record<string, string>,
  ): Promise<{ name: string; perplexity: number; sha256: string }[]>;
  /** The router with the added language, as a router file (to keep it across visits). */
  addedRouter(): RouterJson;
  /** Brings back a language added on an earlier visit: its router file and its expert's files. */
  restoreAddedLanguage(
    router: unknown,
    expert: string,
    files: { name: string; bytes: Uint8Array }[],
  ): Promise<void>;
  /** Routes with the shipped router or the lab's (for this visit only). */
  setActiveRouter(which: "shipped" | "lab"): void;
  /** The router that routes prompts now, if not the shipped one (the router worker uses it too). */
  activeRouter(): OtherRouter | null;
  /**
   * Routes the prompt (when asked), loads the teacher and the student, and generates from both,
   * one token of each in turn; then the per-token KL along the student's output.
   */
  compare(
    request: CompareRequest,
    onProgress: (progress: CompareProgress) => void,
  ): Promise<GenerationResult>;
  /**
   * Ends the running generation after its current token (its result says it was stopped); while
   * models download, cancels the downloads (the waiting calls fail with a CancelledError).
   */
  stopGeneration(): void;
  /** Logits of every position for token ids (after `loadModel`), flattened [n × vocab]. */
  logits(name: string, ids: number[]): Promise<Float32Array>;
  /** Loses the WebGPU device: for testing the page's recovery. */
  simulateDeviceLoss(): void;
  /** Throws outside any call, as a real crash would: for testing the page's recovery. */
  simulateCrash(): void;
}
