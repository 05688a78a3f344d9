/** The store's training and compare slices, driven through fake workers (no browser, no tensors). */
import { unzipSync } from "fflate";
import { describe, expect, it, vi } from "vitest";
import { createStore } from "zustand";
import { decodeLanes, laneOf } from "../src/app/race";
import { defaultSettings, type Settings } from "../src/app/settings";
import { type CompareSlice, createCompareSlice } from "../src/app/tabs/compare/compare";
import { createTrainingSlice, type TrainingSlice } from "../src/app/tabs/train/training";
import type { ModelWorker, TrainWorker } from "../src/app/worker-client";
import type { BackendName } from "../src/ml/backend-names";
import type { StepMetrics } from "../src/ml/train";
import type {
  CompareProgress,
  CompareRequest,
  GenerationResult,
  ModelWorkerApi,
} from "../src/workers/model-types";
import type { TrainRequest, TrainWorkerApi } from "../src/workers/train-types";

/** A supervised worker whose API is `api`: calls (start-up steps too) go straight to it. */
function fakeWorker<T>(api: Partial<T>) {
  const call = (fn: (a: T) => Promise<unknown>) => fn(api as T);
  return {
    api,
    call,
    startup: (_what: string, fn: (a: T) => Promise<unknown>) => call(fn),
  } as unknown;
}

interface Host {
  settings: Settings;
  setSetting<K extends keyof Settings>(key: K, value: Settings[K]): void;
  trainingBackend(): BackendName | undefined;
}

const metrics = (step: number): StepMetrics => ({
  step,
  ce: 5 - step / 10,
  kd: null,
  total: 5 - step / 10,
  alpha: 1,
  beta: 0,
  learningRate: 1e-3,
  tokensPerSec: 1000,
});

function trainingStore(settings: Partial<Settings>, training: Partial<TrainWorkerApi>) {
  const urls = { models: "http://site/models/", corpus: (l: string) => `http://site/${l}.txt` };
  const workers = {
    models: fakeWorker<ModelWorkerApi>({}) as ModelWorker,
    training: fakeWorker<TrainWorkerApi>(training) as TrainWorker,
  };
  return createStore<TrainingSlice & Host>()((set, get, store) => ({
    settings: { ...defaultSettings(), ...settings },
    setSetting(key, value) {
      set({ settings: { ...get().settings, [key]: value } });
    },
    trainingBackend: () => undefined,
    ...createTrainingSlice(workers, urls)(set, get, store),
  }));
}

describe("training slice", () => {
  it("builds one request from the settings, streams the steps into the run, and ends it done", async () => {
    vi.stubGlobal("fetch", async (url: string) => new Response(`corpus at ${url}`));
    const requests: TrainRequest[] = [];
    const store = trainingStore(
      { corpus: "de", size: "tiny", steps: 12, batch: 2, alphaMode: "fixed", alpha: 0.3 },
      {
        prepare: async (modelsUrl, withTeacher) => {
          expect(modelsUrl).toBe("http://site/models/");
          expect(withTeacher).toBe(true);
          return { backend: "wasm", teacherParameters: 10 };
        },
        train: async (request, onStep) => {
          requests.push(request);
          for (let step = 1; step <= 3; step++) onStep(0, metrics(step));
          return [{ steps: 3, stopped: true, parameters: 123, trainTokens: 9, valTokens: 1 }];
        },
      },
    );
    await store.getState().startTraining();
    vi.unstubAllGlobals();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      text: "corpus at http://site/de.txt",
      steps: 12,
      batchSize: 2,
      lanes: [
        {
          preset: "tiny",
          kd: { loss: "forward", alpha: { kind: "fixed", alpha: 0.3 }, mode: "combined" },
        },
      ],
    });
    const [run] = store.getState().runs;
    expect(run.state).toBe("stopped");
    expect(run.backend).toBe("wasm");
    expect(run.parameters).toBe(123);
    expect(run.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(run.label).toBe("#1 German, tiny, α 0.3, forward");
  });

  it("stops a run while it prepares (a teacher download that never ends), and trains nothing", async () => {
    vi.stubGlobal("fetch", async () => new Response("text"));
    let trained = 0;
    const store = trainingStore(
      {},
      {
        prepare: () => new Promise(() => {}), // stalled
        train: async () => {
          trained++;
          return [];
        },
      },
    );
    const started = store.getState().startTraining();
    await vi.waitFor(() => expect(store.getState().runs[0]?.state).toBe("preparing"));
    store.getState().stopTraining();
    await started;
    vi.unstubAllGlobals();
    expect(store.getState().runs[0]).toMatchObject({
      state: "stopped",
      message: "stopped while preparing",
    });
    expect(trained).toBe(0);
  });

  it("marks the active run failed when its worker is restarted, and keeps finished runs", async () => {
    vi.stubGlobal("fetch", async () => new Response("text"));
    const store = trainingStore(
      { distil: "off" },
      {
        prepare: async () => ({ backend: "cpu", teacherParameters: null }),
        train: (_request, onStep) => {
          onStep(0, metrics(1));
          return new Promise(() => {}); // still training when the worker dies
        },
      },
    );
    const earlierLane = laneOf(defaultSettings());
    store.setState({
      runs: [
        {
          id: 99,
          label: "#99 earlier",
          metrics: [metrics(1)],
          state: "done",
          raceId: 0,
          lane: 0,
          settings: earlierLane,
          knobChanges: [],
        },
      ],
    });
    void store.getState().startTraining();
    await vi.waitFor(() => expect(store.getState().runs[1]?.state).toBe("running"));
    store.getState().trainWorkerRestarted("the training worker crashed (boom)");
    vi.unstubAllGlobals();
    const [earlier, active] = store.getState().runs;
    expect(earlier.state).toBe("done");
    expect(active.state).toBe("failed");
    expect(active.message).toBe("the training worker crashed (boom); finished runs are kept");
  });
});

describe("your own text", () => {
  it("forgets the text in use when a later one is refused, so training can't go on with it", async () => {
    const store = trainingStore({ corpus: "custom" }, {});
    store.getState().setCustomText("good.txt", "Ein guter Text. ".repeat(100));
    expect(store.getState().customText?.name).toBe("good.txt");
    store.getState().setCustomText("bad.bin", "\u0000\u0001 binary");
    expect(store.getState().customText).toBeNull();
    expect(store.getState().customTextError).toMatch(/does not look like text/);
    await store.getState().startTraining();
    expect(store.getState().runs[0]).toMatchObject({
      state: "failed",
      message: "paste or upload your text first",
    });
  });
});

describe("each run's student", () => {
  it("keeps every finished or stopped run's student: download acts on the chosen run, even after a later run or a crash", async () => {
    vi.stubGlobal("fetch", async () => new Response("text"));
    let trainCalls = 0;
    let exports = 0;
    const store = trainingStore(
      { distil: "off" },
      {
        prepare: async () => ({ backend: "cpu", teacherParameters: null }),
        train: async () => {
          trainCalls++;
          // The first run finishes its 5 steps; the second is stopped after 1.
          const steps = trainCalls === 1 ? 5 : 1;
          return [
            { steps, stopped: trainCalls === 2, parameters: 10, trainTokens: 9, valTokens: 1 },
          ];
        },
        exportStudent: async () => {
          exports++;
          return [{ name: "model.json", bytes: new TextEncoder().encode(`student ${exports}`) }];
        },
      },
    );
    await store.getState().startTraining();
    await store.getState().startTraining();
    expect(store.getState().runs.map((r) => r.state)).toEqual(["done", "stopped"]);
    expect(store.getState().studentRunIds).toEqual([1, 2]);
    // The training worker dies: the students are the store's, not the worker's.
    store.getState().trainWorkerRestarted("the training worker crashed");
    store.getState().chooseStudentRun(1);
    store.getState().chooseStudentRun(7); // no such run: ignored
    expect(store.getState().chosenStudentRun).toBe(1);
    const blobs: Blob[] = [];
    vi.stubGlobal("URL", {
      createObjectURL: (b: Blob) => {
        blobs.push(b);
        return "blob:x";
      },
      revokeObjectURL: () => {},
    });
    vi.stubGlobal("document", { createElement: () => ({ click: () => {} }) });
    await store.getState().downloadStudent();
    vi.unstubAllGlobals();
    expect(store.getState().exportError).toBeNull();
    const zip = unzipSync(new Uint8Array(await blobs[0].arrayBuffer()));
    expect(new TextDecoder().decode(zip["model.json"])).toBe("student 1");
    store.getState().removeRun(1);
    expect(store.getState().studentRunIds).toEqual([2]);
  });
});

describe("races", () => {
  it("trains the race's lanes in one call, labels them by what differs, and sends knobs to the running lanes", async () => {
    vi.stubGlobal("fetch", async () => new Response("text"));
    const requests: TrainRequest[] = [];
    const knobs: [number, unknown][] = [];
    let step: (lane: number, m: StepMetrics) => void = () => {};
    let finish: () => void = () => {};
    const store = trainingStore(
      { steps: 10, batch: 2 },
      {
        prepare: async () => ({ backend: "wasm", teacherParameters: 10 }),
        train: (request, onStep) => {
          requests.push(request);
          step = onStep;
          return new Promise((resolve) => {
            finish = () =>
              resolve(
                request.lanes.map(() => ({
                  steps: 10,
                  stopped: false,
                  parameters: 1,
                  trainTokens: 1,
                  valTokens: 1,
                })),
              );
          });
        },
        setKnobs: (lane, k) => void knobs.push([lane, k]),
      },
    );
    const { setSetting, addToRace } = store.getState();
    setSetting("alphaMode", "fixed");
    setSetting("alpha", 0.5);
    addToRace();
    setSetting("alphaMode", "adaptive");
    addToRace();
    expect(decodeLanes(store.getState().settings.race).lanes).toHaveLength(2);
    const race = store.getState().startRace();
    await vi.waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0].lanes.map((l) => l.kd?.alpha)).toEqual([
      { kind: "fixed", alpha: 0.5 },
      { kind: "adaptive" },
    ]);
    step(0, metrics(1));
    step(1, metrics(1));
    await vi.waitFor(() => expect(store.getState().runs[1].metrics).toHaveLength(1));
    store.getState().setKnob("alpha", 0.2);
    expect(knobs).toEqual([
      [0, { alpha: 0.2 }],
      [1, { alpha: 0.2 }],
    ]);
    finish();
    await race;
    vi.unstubAllGlobals();
    const runs = store.getState().runs;
    expect(runs.map((r) => r.label)).toEqual(["#1 French, α 0.5", "#2 French, adaptive α"]);
    expect(runs.map((r) => r.state)).toEqual(["done", "done"]);
    expect(runs[0].knobChanges).toEqual([{ step: 2, text: "α 0.2" }]);
    expect(store.getState().stepMs["small|on|2"]).toBeGreaterThanOrEqual(0);
  });
});

function compareStore(settings: Partial<Settings>, models: Partial<ModelWorkerApi>) {
  type Added = { id: string; name: string } | null;
  return createStore<CompareSlice & Host & { sentStudent: null; addedLanguage: Added }>()(
    (set, get, store) => ({
      settings: { ...defaultSettings(), ...settings },
      setSetting() {},
      trainingBackend: () => undefined,
      sentStudent: null,
      addedLanguage: null,
      ...createCompareSlice(fakeWorker<ModelWorkerApi>(models) as ModelWorker, "http://m/")(
        set,
        get,
        store,
      ),
    }),
  );
}

describe("compare slice", () => {
  it("makes one worker call per Generate and shows the routed expert, sizes and outputs", async () => {
    const calls: CompareRequest[] = [];
    const result: GenerationResult = {
      stopped: false,
      student: "expert-fr",
      routedTo: { id: "fr", name: "French" },
      outputs: [
        { model: "teacher", ids: [5], pieces: ["le"] },
        { model: "expert-fr", ids: [6], pieces: ["la"] },
      ],
      kl: [0.5],
    };
    const store = compareStore(
      { prompt: "Le chat", seed: 4, maxTokens: 3 },
      {
        compare: async (request, onProgress: (p: CompareProgress) => void) => {
          calls.push(request);
          onProgress({
            kind: "student",
            student: "expert-fr",
            routedTo: { id: "fr", name: "French" },
          });
          onProgress({ kind: "loading", loadedBytes: 1, totalBytes: 2 });
          onProgress({ kind: "loaded", teacherParameters: 100, studentParameters: 10 });
          const update = { text: "la", tokens: 1, tokensPerSec: 5, firstTokenMs: 1 };
          onProgress({ kind: "token", update: { model: "teacher", ...update, text: "le" } });
          onProgress({ kind: "token", update: { model: "expert-fr", ...update } });
          return result;
        },
      },
    );
    await store.getState().generate();
    expect(calls).toEqual([
      {
        modelsUrl: "http://m/",
        prompt: "Le chat",
        student: "routed",
        temperature: 0.8,
        topK: 40,
        topP: 1,
        seed: 4,
        maxTokens: 3,
      },
    ]);
    const { compare } = store.getState();
    expect(compare.state).toBe("done");
    expect(compare.result).toEqual(result);
    expect(compare.teacher).toMatchObject({ name: "teacher", parameters: 100 });
    expect(compare.teacher?.update?.text).toBe("le");
    expect(compare.student).toMatchObject({
      name: "expert-fr",
      routedTo: { id: "fr", name: "French" },
      parameters: 10,
    });
    expect(compare.student?.update?.text).toBe("la");
  });

  it("asks for a trained student before calling the worker when none was sent", async () => {
    const compare = vi.fn();
    const store = compareStore({ expert: "mine" }, { compare });
    await store.getState().generate();
    expect(compare).not.toHaveBeenCalled();
    expect(store.getState().compare.state).toBe("error");
    expect(store.getState().compare.message).toMatch(/train a student first/);
  });
});
