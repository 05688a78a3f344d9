/** What both workers do the same way: start one backend, and read shipped files through the manifest. */
import { selectBackend } from "../ml/backend";
import { BACKENDS, type BackendChoice, type BackendName } from "../ml/backend-names";
import {
  type Artifact,
  fetchReader,
  type ModelManifest,
  parseManifest,
  type ReadFile,
  verifiedReader,
} from "../ml/manifest";
import { watchDeviceLoss } from "./device-lost";
import { WASM_PATHS } from "./wasm-paths";

/** One backend start per worker: concurrent setBackend calls race and make WebGPU fail. */
let backendStart: Promise<BackendChoice> | null = null;

/** Starts TensorFlow.js on the first backend that works (or only on `forced`); later calls share it. */
export function startBackend(forced?: BackendName): Promise<BackendChoice> {
  backendStart ??= selectBackend(forced ? [forced] : BACKENDS, { wasmPaths: WASM_PATHS }).then(
    (choice) => {
      if (choice.name === "webgpu") watchDeviceLoss();
      return choice;
    },
  );
  return backendStart;
}

export async function readManifest(modelsUrl: string): Promise<ModelManifest> {
  const bytes = await fetchReader(modelsUrl)("manifest.json");
  return parseManifest(JSON.parse(new TextDecoder().decode(bytes)));
}

/** Reads an artifact's files, each checked against the manifest (a stale cached copy is re-fetched once). */
export function artifactReader(modelsUrl: string, artifact: Artifact): ReadFile {
  return verifiedReader(fetchReader(modelsUrl), artifact, fetchReader(modelsUrl, "reload"));
}
