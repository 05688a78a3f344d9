/**
 * The model worker: owns every tensor. The UI talks to it only through this typed API (comlink).
 */
import * as tf from "@tensorflow/tfjs";
import * as Comlink from "comlink";
import { selectBackend } from "../ml/backend";
import { BACKENDS, type BackendChoice, type BackendName } from "../ml/backend-names";
import type { GPT, GPTConfig } from "../ml/gpt";
import {
  fetchReader,
  findArtifact,
  type ModelManifest,
  parseManifest,
  verifiedReader,
} from "../ml/manifest";
import { loadGpt } from "../ml/weights";
import { WASM_PATHS } from "./wasm-paths";

/** One backend start per worker: concurrent setBackend calls race and make WebGPU fail. */
let backendStart: Promise<BackendChoice> | null = null;
const manifests = new Map<string, Promise<ModelManifest>>();
const models = new Map<string, Promise<GPT>>();

async function readManifest(modelsUrl: string): Promise<ModelManifest> {
  const bytes = await fetchReader(modelsUrl)("manifest.json");
  return parseManifest(JSON.parse(new TextDecoder().decode(bytes)));
}

const api = {
  /** Starts TensorFlow.js on the first backend that works (or only on `forced`); later calls share it. */
  init(forced?: BackendName): Promise<BackendChoice> {
    backendStart ??= selectBackend(forced ? [forced] : BACKENDS, { wasmPaths: WASM_PATHS });
    return backendStart;
  },

  /** The shipped models' manifest, validated (fetched once per URL). */
  manifest(modelsUrl: string): Promise<ModelManifest> {
    let manifest = manifests.get(modelsUrl);
    if (!manifest) {
      manifest = readManifest(modelsUrl);
      manifests.set(modelsUrl, manifest);
      manifest.catch(() => manifests.delete(modelsUrl));
    }
    return manifest;
  },

  /** Loads a shipped GPT once; every file is checked against the manifest's sha256 and size. */
  async loadModel(
    modelsUrl: string,
    name: string,
  ): Promise<{ config: GPTConfig; parameters: number }> {
    await api.init();
    let model = models.get(name);
    if (!model) {
      model = api.manifest(modelsUrl).then((manifest) => {
        const artifact = findArtifact(manifest, name, "gpt");
        return loadGpt(verifiedReader(fetchReader(modelsUrl), artifact), `${name}/`);
      });
      models.set(name, model);
      model.catch(() => models.delete(name));
    }
    const loaded = await model;
    return { config: loaded.config, parameters: loaded.parameterCount().total };
  },

  /** Logits of every position for token ids (after `loadModel`), flattened [n × vocab]. */
  async logits(name: string, ids: number[]): Promise<Float32Array> {
    const model = await models.get(name);
    if (!model) throw new Error(`model ${name} is not loaded`);
    const input = tf.tensor2d(ids, [1, ids.length], "int32");
    const logits = model.forward(input);
    input.dispose();
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    return values;
  },
};

export type ModelWorkerApi = typeof api;
Comlink.expose(api);
