/** What the model and training workers do the same way: start one backend, and load shipped models. */
import { selectBackend } from "../ml/backend";
import { BACKENDS, type BackendChoice, type BackendName } from "../ml/backend-names";
import type { GPT } from "../ml/gpt";
import { findArtifact, type ModelManifest } from "../ml/manifest";
import { loadGpt } from "../ml/weights";
import { destroyGpuDevice, watchDeviceLoss } from "./device-lost";
import { simulateCrash, singleThreaded } from "./liveness";
import { artifactReader } from "./shipped-files";
import { WASM_PATHS } from "./wasm-paths";

/** One backend start per worker: concurrent setBackend calls race and make WebGPU fail. */
let backendStart: Promise<BackendChoice> | null = null;

/**
 * How every worker starts a backend: the page's own thread mostly waits while a worker computes,
 * so WASM gets every core (at most 8); one thread in a worker that replaced a frozen one.
 */
export const backendOptions = () => ({
  wasmPaths: WASM_PATHS,
  wasmThreads: singleThreaded() ? 1 : Math.min(8, Math.max(1, navigator.hardwareConcurrency || 1)),
});

/** Starts TensorFlow.js on the first backend that works (or only on `forced`); later calls share it. */
export function startBackend(forced?: BackendName): Promise<BackendChoice> {
  backendStart ??= selectBackend(forced ? [forced] : BACKENDS, backendOptions()).then((choice) => {
    if (choice.name === "webgpu") watchDeviceLoss();
    return choice;
  });
  return backendStart;
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

/** Faults a test can cause in either worker, to check that the page recovers. */
export const recoveryTestHooks = {
  /** Loses the WebGPU device, as a driver reset would. */
  simulateDeviceLoss(): void {
    destroyGpuDevice();
  },
  simulateCrash,
};
