/**
 * The model worker: owns every tensor. The UI talks to it only through this typed API (comlink).
 */
import * as Comlink from "comlink";
import { selectBackend } from "../ml/backend";
import { BACKENDS, type BackendChoice, type BackendName } from "../ml/backend-names";
import { fetchReader, type ModelManifest, parseManifest } from "../ml/manifest";
import { WASM_PATHS } from "./wasm-paths";

/** One backend start per worker: concurrent setBackend calls race and make WebGPU fail. */
let backendStart: Promise<BackendChoice> | null = null;

const api = {
  /** Starts TensorFlow.js on the first backend that works (or only on `forced`); later calls share it. */
  init(forced?: BackendName): Promise<BackendChoice> {
    backendStart ??= selectBackend(forced ? [forced] : BACKENDS, { wasmPaths: WASM_PATHS });
    return backendStart;
  },

  /** The shipped models' manifest, validated. */
  async manifest(modelsUrl: string): Promise<ModelManifest> {
    const bytes = await fetchReader(modelsUrl)("manifest.json");
    return parseManifest(JSON.parse(new TextDecoder().decode(bytes)));
  },
};

export type ModelWorkerApi = typeof api;
Comlink.expose(api);
