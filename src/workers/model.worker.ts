/**
 * The model worker: owns every tensor. The UI talks to it only through this typed API (comlink).
 */
import * as tf from "@tensorflow/tfjs";
import { routerWithLanguage } from "../ml/add-language";
import type { BackendChoice, BackendName } from "../ml/backend-names";
import { EOS_ID } from "../ml/bpe-trainer";
import { encodeCorpus, layoutPrompt } from "../ml/data";
import { evaluate } from "../ml/evaluate";
import { cancellable } from "../ml/fetch";
import { generate, klPerPosition } from "../ml/generate";
import type { GPT, GPTConfig } from "../ml/gpt";
import { COMMON_EXPERT, expertName, LANGUAGES } from "../ml/languages";
import { type ModelManifest, sha256Hex } from "../ml/manifest";
import { ADD_LANGUAGE, BROWSER_TRAIN, ROUTER_LAB, ROUTER_MAX_FALSE_NONE } from "../ml/presets";
import { ProblemError } from "../ml/problems";
import { fitLabRouter, LANGUAGE_CLASSES, NONE, NONE_CLASS, Router } from "../ml/router";
import type { BpeTokenizer } from "../ml/tokenizer";
import { serializeGpt } from "../ml/weights";
import { gptFromFiles, shippedZip, zipFromFiles } from "./hugging-face";
import type {
  CompareProgress,
  CompareRequest,
  GenerationResult,
  LoadedModel,
  ModelWorkerApi,
} from "./model-types";
import { OtherRouters } from "./other-routers";
import { exposeWorkerApi } from "./problem-transfer";
import { readManifest, readShippedRouting } from "./shipped-files";
import { loadShippedGpt, recoveryTestHooks, startBackend } from "./worker-common";

const manifests = new Map<string, Promise<ModelManifest>>();
const models = new Map<string, Promise<GPT>>();
let routing: Promise<{ tokenizer: BpeTokenizer; router: Router }> | null = null;
/** Generations running now (a model swapped meanwhile is disposed after them). */
const generations = new Set<Promise<unknown>>();
/** The Router lab's router or the one with an added language, and the fit running now. */
const others = new OtherRouters();

/** Resolves when the page first asks for the tokenizer (after the router worker's head start). */
let routingAsked: () => void = () => {};
const asked = new Promise<void>((resolve) => {
  routingAsked = resolve;
});

/** The tokenizer and shipped router; a call that comes before the page asked for them waits. */
async function loadedRouting(): Promise<{ tokenizer: BpeTokenizer; router: Router }> {
  await asked;
  if (!routing) throw new Error("the tokenizer could not load");
  return routing;
}

async function activeRouter(): Promise<Router> {
  const { router } = await loadedRouting();
  return others.active(router);
}
/** Set by `stopGeneration`; the running generation ends after its current token. */
let stopRequested = false;
/** Cancels the model downloads under way (`stopGeneration` aborts it and makes a new one). */
let downloads = new AbortController();

/**
 * KL(p ‖ q) of two models' next-token distributions along a generated output, summed over the
 * tokens of each piece (generated token k was predicted at position promptLength + k − 1).
 */
async function klAlong(
  p: GPT,
  q: GPT,
  ids: number[],
  promptLength: number,
  pieces: { start: number; end: number }[],
): Promise<number[]> {
  const values = await klPerPosition(p, q, ids, promptLength - 1);
  return pieces.map(({ start, end }) => values.slice(start, end).reduce((sum, v) => sum + v, 0));
}

/** A model loaded earlier (shipped or from files). */
function loadedModel(name: string): Promise<GPT> {
  return models.get(name) ?? Promise.reject(new Error(`model ${name} is not loaded`));
}

/** Loads a shipped GPT once (later calls share the load); `signal` cancels the wait and download. */
async function shippedModel(
  modelsUrl: string,
  name: string,
  onProgress: ((loadedBytes: number, totalBytes: number) => void) | undefined,
  signal: AbortSignal,
): Promise<LoadedModel> {
  await api.init();
  let model = models.get(name);
  if (!model) {
    model = api
      .manifest(modelsUrl)
      .then((manifest) => loadShippedGpt(modelsUrl, manifest, name, onProgress, signal));
    models.set(name, model);
    model.catch(() => models.delete(name));
  }
  const loaded = await cancellable(model, signal);
  return { config: loaded.config, parameters: loaded.parameterCount().total };
}

/** One click of Generate (see `compare`): route, load, generate both models, then the KL. */
async function compareNow(
  request: CompareRequest,
  onProgress: (p: CompareProgress) => void,
): Promise<GenerationResult> {
  stopRequested = false; // a Stop from here on (loading included) ends this generation
  const { signal } = downloads; // a Stop while loading cancels this run's downloads
  // Generate can come before the page asked for the tokenizer (the router worker loads first).
  await cancellable(api.loadRouting(request.modelsUrl), signal);
  const { tokenizer } = await cancellable(loadedRouting(), signal);
  const router = await activeRouter();
  const { ids: prompt, label, expert } = layoutPrompt(tokenizer, router, request.prompt);
  const routedClass = router.classes.find((c) => c.id === label);
  const routedTo =
    request.student === "routed" && request.prompt.trim() && routedClass
      ? { id: label, name: routedClass.name }
      : undefined;
  const student =
    request.student === "routed" ? (routedTo ? expert : COMMON_EXPERT) : request.student;
  onProgress({ kind: "student", student, routedTo });
  const names = ["teacher", student];
  const progress = new Map<string, { loaded: number; total: number }>();
  const onLoad = (name: string) => (loaded: number, total: number) => {
    progress.set(name, { loaded, total });
    let loadedBytes = 0;
    let totalBytes = 0;
    for (const p of progress.values()) {
      loadedBytes += p.loaded;
      totalBytes += p.total;
    }
    onProgress({ kind: "loading", loadedBytes, totalBytes });
  };
  // Shipped models load once (later calls find them loaded); a student from files must be loaded.
  const [teacherInfo, studentInfo] = await Promise.all(
    names.map((name) => shippedModel(request.modelsUrl, name, onLoad(name), signal)),
  );
  onProgress({
    kind: "loaded",
    teacherParameters: teacherInfo.parameters,
    studentParameters: studentInfo.parameters,
  });
  const loaded = await Promise.all(names.map((name) => loadedModel(name)));
  const options = {
    temperature: request.temperature,
    topK: request.topK,
    topP: request.topP,
    seed: request.seed,
    maxNewTokens: request.maxTokens,
    stopOnEos: true,
  };
  const streams = loaded.map((m) => generate(m, prompt, options));
  const outputs: number[][] = loaded.map(() => []);
  const started = performance.now();
  const firstTokenMs: number[] = loaded.map(() => 0);
  const finished = loaded.map(() => false);
  const busyMs = loaded.map(() => 0);
  let lastDelivery: unknown;
  while (finished.some((f) => !f)) {
    // Let a stop message in: on wasm a token never leaves the microtask queue.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (stopRequested) break;
    for (const [i, stream] of streams.entries()) {
      if (finished[i]) continue;
      const t0 = performance.now();
      const next = await stream.next();
      // The first token also pays for the start (the decoder, the prompt): it shows as the time
      // to the first token, and the speed counts the tokens after it.
      if (outputs[i].length > 0) busyMs[i] += performance.now() - t0;
      if (next.done) {
        finished[i] = true;
        continue;
      }
      outputs[i].push(next.value.id);
      if (outputs[i].length === 1) firstTokenMs[i] = performance.now() - started;
      lastDelivery = onProgress({
        kind: "token",
        update: {
          model: names[i],
          text: tokenizer.decode(outputs[i]),
          tokens: outputs[i].length,
          tokensPerSec: busyMs[i] > 0 ? (outputs[i].length - 1) / (busyMs[i] / 1000) : 0,
          firstTokenMs: firstTokenMs[i],
        },
      });
    }
  }
  // A stopped generator still holds its KV cache: closing it runs its cleanup.
  await Promise.all(streams.map((stream) => stream.return(undefined)));
  // onProgress is a proxy on a channel of its own: every update arrives before the result.
  await lastDelivery;
  // The closing <eos> is not text: it ends the output but is not shown.
  const shown = outputs.map((ids) => (ids.at(-1) === EOS_ID ? ids.slice(0, -1) : ids));
  const result: GenerationResult = {
    stopped: stopRequested,
    student,
    routedTo,
    outputs: names.map((model, i) => ({
      model,
      ids: shown[i],
      pieces: tokenizer.pieces(shown[i]).map((p) => p.text),
    })),
  };
  if (shown[1].length > 0) {
    result.kl = await klAlong(
      loaded[0],
      loaded[1],
      [...prompt, ...shown[1]],
      prompt.length,
      tokenizer.pieces(shown[1]),
    );
  }
  return result;
}

const api: ModelWorkerApi = {
  /** Starts TensorFlow.js on the first backend that works (or only on `forced`); later calls share it. */
  init(forced?: BackendName): Promise<BackendChoice> {
    return startBackend(forced);
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
    onProgress?: (loadedBytes: number, totalBytes: number) => void,
  ): Promise<{ config: GPTConfig; parameters: number }> {
    return shippedModel(modelsUrl, name, onProgress, downloads.signal);
  },

  /** Loads a model from its files (e.g. a student trained in the training worker), replacing any of that name. */
  async loadModelFromFiles(
    name: string,
    files: { name: string; bytes: Uint8Array }[],
  ): Promise<{ config: GPTConfig; parameters: number }> {
    await api.init();
    const loaded = await gptFromFiles(files, routing ? (await routing).tokenizer : null);
    const vocabSize = routing ? (await routing).tokenizer.vocabSize : null;
    if (vocabSize !== null && loaded.config.vocabSize !== vocabSize) {
      loaded.dispose();
      throw new ProblemError(
        "vocabularySize",
        { file: "model.json", theirs: loaded.config.vocabSize, ours: vocabSize },
        `the model has ${loaded.config.vocabSize} tokens; MoME Lab's tokenizer has ${vocabSize}`,
      );
    }
    // Only a model that loaded replaces the one of that name. A generation may still use the old
    // one: it is disposed when the generations running now have ended (they keep what they made).
    const previous = models.get(name);
    models.set(name, Promise.resolve(loaded));
    await Promise.allSettled([...generations]);
    (await previous?.catch(() => null))?.dispose();
    return { config: loaded.config, parameters: loaded.parameterCount().total };
  },

  async huggingFaceZip(model) {
    const { tokenizer } = await loadedRouting();
    if ("files" in model) return zipFromFiles(model.files, model.name, tokenizer);
    await shippedModel(model.modelsUrl, model.shipped, undefined, downloads.signal);
    const gpt = await (models.get(model.shipped) as Promise<GPT>);
    return shippedZip(gpt, await api.manifest(model.modelsUrl), model.shipped, tokenizer);
  },

  /** Loads the tokenizer and the router (once); no tensors involved. */
  async loadRouting(modelsUrl: string): Promise<{ vocabSize: number }> {
    if (!routing) {
      routing = api.manifest(modelsUrl).then((manifest) => readShippedRouting(modelsUrl, manifest));
      routing.catch(() => {
        routing = null;
      });
      routingAsked();
    }
    return { vocabSize: (await routing).tokenizer.vocabSize };
  },

  async trainLabRouter(request, onProgress) {
    const { tokenizer } = await loadedRouting();
    const none = request.texts.some((t) => t.label === NONE);
    const classes = LANGUAGE_CLASSES.filter((c) => request.texts.some((t) => t.label === c.id));
    const fit = fitLabRouter(request.texts, (s) => tokenizer.encode(s), {
      kind: request.kind,
      features: request.features,
      vocabSize: tokenizer.vocabSize,
      classes: none ? [...classes, NONE_CLASS] : classes,
      ...ROUTER_LAB,
      maxFalseNone: ROUTER_MAX_FALSE_NONE,
      seed: request.seed,
    });
    const { router, report } = await others.fitting(fit, onProgress);
    others.keepLab(router);
    return report;
  },

  async addRouterClass(request, onProgress) {
    const { tokenizer } = await loadedRouting();
    const fit = routerWithLanguage(request.texts, tokenizer, request.language, request.seed);
    const { router, report } = await others.fitting(fit, onProgress);
    others.keepPendingAdded(router);
    return report;
  },

  useAddedRouter() {
    others.useAdded();
  },

  stopRouterFit() {
    others.stop();
  },

  async expertFingerprints(modelsUrl, heldOut) {
    const { tokenizer } = await loadedRouting();
    const out: { name: string; perplexity: number; sha256: string }[] = [];
    for (const lang of LANGUAGES) {
      const name = expertName(lang);
      await api.loadModel(modelsUrl, name);
      const model = await loadedModel(name);
      const { perplexity } = await evaluate(model, encodeCorpus(tokenizer, heldOut[lang]), {
        seqLen: BROWSER_TRAIN.seqLen,
        batchSize: BROWSER_TRAIN.batchSize,
        maxBatches: ADD_LANGUAGE.evalBatches,
      });
      // Every weight file, in order (model.json holds no weights).
      const files = [...(await serializeGpt(model))]
        .filter(([path]) => path.endsWith(".bin"))
        .sort(([a], [b]) => a.localeCompare(b));
      const bytes = new Uint8Array(files.reduce((n, [, b]) => n + b.length, 0));
      let at = 0;
      for (const [, b] of files) {
        bytes.set(b, at);
        at += b.length;
      }
      out.push({ name, perplexity, sha256: await sha256Hex(bytes) });
    }
    return out;
  },

  addedRouter() {
    return others.added().toJSON();
  },

  async restoreAddedLanguage(json, expert, files) {
    const router = Router.fromJSON(json);
    await api.loadModelFromFiles(expert, files);
    others.install(router);
  },

  setActiveRouter(which) {
    others.choose(which);
  },

  activeRouter() {
    return others.activeFile();
  },

  compare(request, onProgress) {
    const run = compareNow(request, onProgress);
    generations.add(run);
    const forget = () => generations.delete(run);
    run.then(forget, forget);
    return run;
  },

  /** Ends the running generation after its current token (its result says it was stopped). */
  stopGeneration(): void {
    stopRequested = true;
    downloads.abort();
    downloads = new AbortController();
  },

  /** Logits of every position for token ids (after `loadModel`), flattened [n × vocab]. */
  async logits(name, ids) {
    const model = await loadedModel(name);
    const input = tf.tensor2d(ids, [1, ids.length], "int32");
    const logits = model.forward(input);
    input.dispose();
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    return values;
  },

  ...recoveryTestHooks,
};

exposeWorkerApi(api);
