/** What both workers do the same way: start one backend, and read shipped files through the manifest. */
import { selectBackend } from "../ml/backend";
import { BACKENDS, type BackendChoice, type BackendName } from "../ml/backend-names";
import type { GPT } from "../ml/gpt";
import {
  type Artifact,
  fetchReader,
  findArtifact,
  type ModelManifest,
  parseManifest,
  type ReadFile,
  verifiedReader,
} from "../ml/manifest";
import { loadGpt } from "../ml/weights";
import { destroyGpuDevice, watchDeviceLoss } from "./device-lost";
import { WASM_PATHS } from "./wasm-paths";

/** One backend start per worker: concurrent setBackend calls race and make WebGPU fail. */
let backendStart: Promise<BackendChoice> | null = null;

/** Starts TensorFlow.js on the first backend that works (or only on `forced`); later calls share it. */
export function startBackend(forced?: BackendName): Promise<BackendChoice> {
  // The page's own thread mostly waits while a worker computes: WASM gets every core (at most 8).
  const wasmThreads = Math.min(8, Math.max(1, navigator.hardwareConcurrency || 1));
  backendStart ??= selectBackend(forced ? [forced] : BACKENDS, {
    wasmPaths: WASM_PATHS,
    wasmThreads,
  }).then((choice) => {
    if (choice.name === "webgpu") watchDeviceLoss();
    return choice;
  });
  return backendStart;
}

export async function readManifest(modelsUrl: string): Promise<ModelManifest> {
  const bytes = await fetchReader(modelsUrl)("manifest.json");
  return parseManifest(JSON.parse(new TextDecoder().decode(bytes)));
}

/** Reads an artifact's files, each checked against the manifest (a stale cached copy is re-fetched once). */
export function artifactReader(
  modelsUrl: string,
  artifact: Artifact,
  signal?: AbortSignal,
): ReadFile {
  return verifiedReader(
    fetchReader(modelsUrl, "default", signal),
    artifact,
    fetchReader(modelsUrl, "reload", signal),
  );
}

/**
 * A shipped GPT, every file checked against the manifest; `onProgress` hears the bytes as they
 * arrive; `signal` cancels the download.
 */
export function loadShippedGpt(
  modelsUrl: string,
  manifest: ModelManifest,
  name: string,
  onProgress?: (loadedBytes: number, totalBytes: number) => void,
  signal?: AbortSignal,
): Promise<GPT> {
  const artifact = findArtifact(manifest, name, "gpt");
  const total = artifact.files.reduce((sum, f) => sum + f.bytes, 0);
  const read = artifactReader(modelsUrl, artifact, signal);
  let loaded = 0;
  return loadGpt(async (path) => {
    const bytes = await read(path);
    loaded += bytes.length;
    onProgress?.(loaded, total);
    return bytes;
  }, `${name}/`);
}

/** A shipped JSON artifact (tokenizer.json, router.json), checked against the manifest. */
export async function readShippedJson(
  modelsUrl: string,
  manifest: ModelManifest,
  name: string,
  kind: "tokenizer" | "router",
): Promise<unknown> {
  const artifact = findArtifact(manifest, name, kind);
  const bytes = await artifactReader(modelsUrl, artifact)(artifact.files[0].path);
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Faults a test can cause in either worker, to check that the page recovers. */
export const recoveryTestHooks = {
  /** Loses the WebGPU device, as a driver reset would. */
  simulateDeviceLoss(): void {
    destroyGpuDevice();
  },
  /** Throws outside any call, as a real crash would. */
  simulateCrash(): void {
    setTimeout(() => {
      throw new Error("simulated crash");
    });
  },
};
