/**
 * The training worker: trains a student in the browser and streams every step's metrics to the UI.
 * It owns the student, the teacher and all their tensors; the UI only ever sees numbers.
 */

import { languageData, trainLanguageModels } from "../ml/add-language";
import type { BackendChoice, BackendName } from "../ml/backend-names";
import { encodeCorpus } from "../ml/data";
import { forgetting, forgettingSteps, type LanguageStreams } from "../ml/experiments";
import type { GPT } from "../ml/gpt";
import { browserSplit, laneStudents, trainLanes } from "../ml/lanes";
import { LANGUAGES } from "../ml/languages";
import { findArtifact, type ModelManifest, sha256Hex } from "../ml/manifest";
import {
  ADD_LANGUAGE,
  BROWSER_TRAIN,
  forgettingLessonSettings,
  MAX_LANES,
  MAX_TEXT_BYTES,
} from "../ml/presets";
import { ProblemError } from "../ml/problems";
import { Router } from "../ml/router";
import type { BpeTokenizer } from "../ml/tokenizer";
import { TrainControl } from "../ml/train";
import { serializeGpt } from "../ml/weights";
import { gptFromFiles } from "./hugging-face";
import { exposeWorkerApi } from "./problem-transfer";
import { readManifest, readShippedJson, readShippedTokenizer } from "./shipped-files";
import { keepTeacherCache, teacherCacheFor } from "./teacher-caches";
import { threadedTeacher } from "./teacher-states";
import type { TrainWorkerApi } from "./train-types";
import * as common from "./worker-common";

let tokenizer: Promise<BpeTokenizer> | null = null;
let teacher: Promise<GPT> | null = null;
/** The shipped teacher's identity (its files' checksums), for the teacher caches' keys. */
let teacherId = "";
/** The students of the latest run, one per lane, and the controls of the lanes training now. */
let students: GPT[] = [];
let controls: TrainControl[] = [];

const api: TrainWorkerApi = {
  init(forced?: BackendName): Promise<BackendChoice> {
    return common.startBackend(forced);
  },

  /**
   * Starts the backend (the one the app uses), then loads the tokenizer and, to distil, the
   * teacher; `onTeacherProgress` hears the teacher's bytes as they arrive (the first time only).
   */
  async prepare(
    modelsUrl: string,
    withTeacher: boolean,
    forced?: BackendName,
    onTeacherProgress?: (loadedBytes: number, totalBytes: number) => void,
  ): Promise<{ backend: BackendName; teacherParameters: number | null }> {
    const { name: backend } = await api.init(forced);
    // Read once, and only when something has to load.
    let manifestRead: Promise<ModelManifest> | null = null;
    const manifest = () => {
      manifestRead ??= readManifest(modelsUrl);
      return manifestRead;
    };
    tokenizer ??= manifest().then((m) => readShippedTokenizer(modelsUrl, m));
    tokenizer.catch(() => {
      tokenizer = null;
    });
    await tokenizer;
    if (!withTeacher) return { backend, teacherParameters: null };
    teacher ??= manifest().then((m) => {
      teacherId = findArtifact(m, "teacher", "gpt")
        .files.map((f) => f.sha256)
        .join(",");
      return common.loadShippedGpt(modelsUrl, m, "teacher", onTeacherProgress);
    });
    teacher.catch(() => {
      teacher = null;
    });
    const loaded = await teacher;
    // The teacher cache's thread starts now too, rather than at a run's first step.
    threadedTeacher(loaded);
    return { backend, teacherParameters: loaded.parameterCount().total };
  },

  async useTeacher(modelsUrl, files) {
    await api.prepare(modelsUrl, false);
    const previous = teacher;
    const imported = files
      ? await gptFromFiles(files, await (tokenizer as Promise<BpeTokenizer>))
      : null;
    teacher = imported ? Promise.resolve(imported) : null;
    teacherId = files
      ? `imported:${(await Promise.all(files.map((f) => sha256Hex(f.bytes)))).join(",")}`
      : "";
    (await previous?.catch(() => null))?.dispose();
    return imported ? { parameters: imported.parameterCount().total } : null;
  },

  /**
   * Trains a fresh student; `onStep` receives every step's metrics. Resolves when training ends
   * (all steps, or stopped). The trained student stays here for export.
   */
  async train(request, onStep) {
    if (!tokenizer) throw new Error("call prepare() first");
    if (controls.length > 0) throw new Error("a training run is already in progress");
    if (request.lanes.length < 1 || request.lanes.length > MAX_LANES)
      throw new Error(`a run has 1 to ${MAX_LANES} lanes, not ${request.lanes.length}`);
    const bytes = new TextEncoder().encode(request.text).length;
    if (bytes > MAX_TEXT_BYTES)
      throw new ProblemError(
        "textTooLarge",
        { megabytes: Number((bytes / 2 ** 20).toFixed(1)), most: MAX_TEXT_BYTES / 2 ** 20 },
        `the text is ${(bytes / 2 ** 20).toFixed(1)} MB; the limit is ${MAX_TEXT_BYTES / 2 ** 20} MB`,
      );
    const data = browserSplit(encodeCorpus(await tokenizer, request.text));
    const distils = request.lanes.some((lane) => lane.kd);
    const teacherModel = distils && teacher ? await teacher : undefined;
    if (distils && !teacherModel)
      throw new Error("distillation needs the teacher: call prepare(…, true) first");
    for (const s of students) s.dispose();
    const lanes = laneStudents((await tokenizer).vocabSize, request);
    students = lanes.students;
    const { configs } = lanes;
    controls = request.lanes.map(() => new TrainControl());
    // One cache for every distilling lane: the teacher runs once per batch, whatever the lanes.
    const cached = teacherModel
      ? await teacherCacheFor(teacherModel, teacherId, data.train, configs[0].seqLen)
      : null;
    const run = trainLanes(lanes, data, {
      teacher: teacherModel,
      teacherCache: cached?.cache,
      controls,
    });
    const steps = students.map(() => 0);
    // onStep is a proxy: its calls travel on their own channel, which may be read after this
    // call's result. Waiting for the last one delivers every step before the run ends.
    let lastDelivery: unknown;
    try {
      for await (const { lane, value } of run) {
        steps[lane] = value.step;
        lastDelivery = onStep(lane, value);
      }
    } finally {
      await run.return(undefined);
      await lastDelivery;
      controls = [];
      if (cached) await keepTeacherCache(cached.cache, cached.key);
    }
    return students.map((student, i) => ({
      steps: steps[i],
      stopped: steps[i] < request.steps,
      parameters: student.parameterCount().total,
      trainTokens: data.train.length,
      valTokens: data.val.length,
    }));
  },

  async forgetting(request, onProgress, onPhase) {
    if (!tokenizer) throw new Error("call prepare() first");
    if (controls.length > 0) throw new Error("a training run is already in progress");
    const words = await tokenizer;
    const manifest = await readManifest(request.modelsUrl);
    const router = Router.fromJSON(
      await readShippedJson(request.modelsUrl, manifest, "router-paper", "router"),
    );
    const data = { train: {}, val: {} } as LanguageStreams;
    for (const lang of LANGUAGES) {
      const split = browserSplit(encodeCorpus(words, request.texts[lang]));
      data.train[lang] = split.train;
      data.val[lang] = split.val;
    }
    const settings = forgettingLessonSettings(words.vocabSize, request.stepsPerPhase, request.seed);
    const total = forgettingSteps(settings);
    const control = new TrainControl();
    controls = [control];
    let done = 0;
    // The proxied callbacks travel on their own channel: wait for the last before resolving.
    let lastDelivery: unknown;
    try {
      const result = await forgetting(data, settings, router, {
        control,
        progress: (label) => {
          done++;
          lastDelivery = onProgress(done, total, label);
        },
        onPhase: (partial) => {
          lastDelivery = onPhase(partial);
        },
      });
      await lastDelivery;
      return result;
    } finally {
      controls = [];
    }
  },

  async addLanguage(request, onProgress) {
    if (!tokenizer) throw new Error("call prepare() first");
    if (controls.length > 0) throw new Error("a training run is already in progress");
    const started = performance.now();
    const words = await tokenizer;
    const data = languageData(words, request.text);
    const teacherModel = request.distil && teacher ? await teacher : undefined;
    if (request.distil && !teacherModel)
      throw new Error("distillation needs the teacher: call prepare(…, true) first");
    const total = 2 * request.steps;
    let done = 0;
    let lastDelivery: unknown;
    const control = new TrainControl();
    controls = [control];
    for (const s of students) s.dispose();
    students = [];
    const manifest = await readManifest(request.modelsUrl);
    const shared = await common.loadShippedGpt(request.modelsUrl, manifest, ADD_LANGUAGE.shared);
    try {
      const cached = teacherModel
        ? await teacherCacheFor(teacherModel, teacherId, data.train, BROWSER_TRAIN.seqLen)
        : null;
      const models = await trainLanguageModels({
        tokenizer: words,
        language: request.language,
        data,
        heldOut: request.heldOut,
        shared,
        steps: request.steps,
        seed: request.seed,
        teacher: teacherModel,
        teacherCache: cached?.cache,
        control,
        onStep: (label) => {
          lastDelivery = onProgress(++done, total, label);
        },
      });
      const expertFiles = [...(await serializeGpt(models.expert))].map(([name, bytes]) => ({
        name,
        bytes,
      }));
      const expertParameters = models.expert.parameterCount().total;
      models.expert.dispose();
      await lastDelivery;
      return {
        expertFiles,
        expertParameters,
        expertPerplexity: models.expertPerplexity,
        shared: { name: ADD_LANGUAGE.shared, ...models.shared },
        seconds: (performance.now() - started) / 1000,
      };
    } finally {
      shared.dispose();
      controls = [];
    }
  },

  pause() {
    for (const control of controls) control.pause();
  },

  resume() {
    for (const control of controls) control.resume();
  },

  stop() {
    for (const control of controls) control.stop();
  },

  setKnobs(lane, knobs) {
    const control = controls[lane];
    if (!control) throw new Error(`lane ${lane} is not training`);
    control.knobs = { ...control.knobs, ...knobs };
  },

  async exportStudent(lane) {
    const student = students[lane];
    if (!student) throw new Error("no student has been trained yet");
    const files = await serializeGpt(student);
    return [...files].map(([name, bytes]) => ({ name, bytes }));
  },

  ...common.recoveryTestHooks,
};

exposeWorkerApi(api);
