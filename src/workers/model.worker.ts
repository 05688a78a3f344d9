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
import { type Language, Router } from "../ml/router";
import { BpeTokenizer } from "../ml/tokenizer";
import { loadGpt } from "../ml/weights";
import { WASM_PATHS } from "./wasm-paths";

/** One backend start per worker: concurrent setBackend calls race and make WebGPU fail. */
let backendStart: Promise<BackendChoice> | null = null;
const manifests = new Map<string, Promise<ModelManifest>>();
const models = new Map<string, Promise<GPT>>();
let routing: Promise<{ tokenizer: BpeTokenizer; router: Router }> | null = null;

/** Routing shows at most this many tokens' evidence (the prediction still reads the whole text). */
export const MAX_EVIDENCE_TOKENS = 1500;

export interface RouteResult {
  label: Language;
  probs: Record<Language, number>;
  /** Each token's text and how much it pushed toward each language (relative to the mean). */
  tokens: { position: number; text: string; push: Record<Language, number> }[];
  /** Token count of the whole text, and how many of them `tokens` covers. */
  totalTokens: number;
  shownTokens: number;
}

async function readJsonArtifact(
  modelsUrl: string,
  name: string,
  kind: "tokenizer" | "router",
): Promise<unknown> {
  const artifact = findArtifact(await api.manifest(modelsUrl), name, kind);
  const read = verifiedReader(fetchReader(modelsUrl), artifact);
  return JSON.parse(new TextDecoder().decode(await read(artifact.files[0].path)));
}

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

  /** Loads the tokenizer and the router (once); no tensors involved. */
  async loadRouting(modelsUrl: string): Promise<{ vocabSize: number }> {
    if (!routing) {
      routing = (async () => ({
        tokenizer: new BpeTokenizer(
          (await readJsonArtifact(modelsUrl, "tokenizer", "tokenizer")) as BpeTokenizer["json"],
        ),
        router: Router.fromJSON(await readJsonArtifact(modelsUrl, "router", "router")),
      }))();
      routing.catch(() => {
        routing = null;
      });
    }
    return { vocabSize: (await routing).tokenizer.vocabSize };
  },

  /** The router's decision for `text`, its class probabilities and per-token evidence. */
  async route(text: string): Promise<RouteResult> {
    if (!routing) throw new Error("routing is not loaded");
    const { tokenizer, router } = await routing;
    const ids = tokenizer.encode(text);
    const { label, probs } = router.predict(ids);
    const shown = ids.slice(0, MAX_EVIDENCE_TOKENS);
    const evidence = router.evidence(shown);
    // Evidence of the tokens that together form one piece is summed.
    const tokens = tokenizer.pieces(shown).map(({ start, end, text: piece }) => {
      const push = { ...evidence[start].push };
      for (let i = start + 1; i < end; i++)
        for (const l of router.classes) push[l] += evidence[i].push[l];
      return { position: start, text: piece, push };
    });
    return { label, probs, tokens, totalTokens: ids.length, shownTokens: shown.length };
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
