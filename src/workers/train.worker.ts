/**
 * The training worker: trains a student in the browser and streams every step's metrics to the UI.
 * It owns the student, the teacher and all their tensors; the UI only ever sees numbers.
 */
import * as Comlink from "comlink";
import type { BackendChoice, BackendName } from "../ml/backend-names";
import { encodeCorpus } from "../ml/data";
import { GPT, type GPTConfig } from "../ml/gpt";
import { findArtifact, type ModelManifest } from "../ml/manifest";
import {
  BROWSER_TRAIN,
  browserTrainConfig,
  MAX_TEXT_BYTES,
  MIN_TRAIN_TOKENS,
  STUDENT_PRESETS,
} from "../ml/presets";
import { BpeTokenizer } from "../ml/tokenizer";
import { type StepMetrics, TrainControl, train } from "../ml/train";
import { serializeGpt } from "../ml/weights";
import { keepTeacherCache, teacherCacheFor } from "./teacher-caches";
import type { TrainRequest, TrainSummary, TrainWorkerApi } from "./train-types";
import {
  loadShippedGpt,
  readManifest,
  readShippedJson,
  recoveryTestHooks,
  startBackend,
} from "./worker-common";

let tokenizer: Promise<BpeTokenizer> | null = null;
let teacher: Promise<GPT> | null = null;
/** The shipped teacher's identity (its files' checksums), for the teacher caches' keys. */
let teacherId = "";
let student: GPT | null = null;
let control: TrainControl | null = null;

const api: TrainWorkerApi = {
  init(forced?: BackendName): Promise<BackendChoice> {
    return startBackend(forced);
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
    tokenizer ??= manifest().then(
      async (m) =>
        new BpeTokenizer(
          (await readShippedJson(modelsUrl, m, "tokenizer", "tokenizer")) as BpeTokenizer["json"],
        ),
    );
    tokenizer.catch(() => {
      tokenizer = null;
    });
    await tokenizer;
    if (!withTeacher) return { backend, teacherParameters: null };
    teacher ??= manifest().then((m) => {
      teacherId = findArtifact(m, "teacher", "gpt")
        .files.map((f) => f.sha256)
        .join(",");
      return loadShippedGpt(modelsUrl, m, "teacher", onTeacherProgress);
    });
    teacher.catch(() => {
      teacher = null;
    });
    return { backend, teacherParameters: (await teacher).parameterCount().total };
  },

  /**
   * Trains a fresh student; `onStep` receives every step's metrics. Resolves when training ends
   * (all steps, or stopped). The trained student stays here for export.
   */
  async train(request: TrainRequest, onStep: (m: StepMetrics) => void): Promise<TrainSummary> {
    if (!tokenizer) throw new Error("call prepare() first");
    if (control) throw new Error("a training run is already in progress");
    const bytes = new TextEncoder().encode(request.text).length;
    if (bytes > MAX_TEXT_BYTES)
      throw new Error(`the text is ${(bytes / 2 ** 20).toFixed(1)} MB; the limit is 5 MB`);
    const tokens = encodeCorpus(await tokenizer, request.text);
    if (tokens.length < MIN_TRAIN_TOKENS)
      throw new Error(
        `the text is too short to train on (${tokens.length} tokens; at least ${MIN_TRAIN_TOKENS} are needed)`,
      );
    const cut = Math.floor(tokens.length * (1 - BROWSER_TRAIN.validationFraction));
    const data = { train: tokens.slice(0, cut), val: tokens.slice(cut) };
    const teacherModel = request.kd && teacher ? await teacher : undefined;
    if (request.kd && !teacherModel)
      throw new Error("distillation needs the teacher: call prepare(…, true) first");
    const trainConfig = browserTrainConfig(request);
    const config: GPTConfig = {
      vocabSize: (await tokenizer).vocabSize,
      contextLength: trainConfig.seqLen,
      tiedHead: true,
      ...STUDENT_PRESETS[request.preset],
    };
    student?.dispose();
    student = GPT.create(config, request.seed);
    control = new TrainControl();
    const kd = request.kd;
    const cached =
      kd && teacherModel
        ? await teacherCacheFor(teacherModel, teacherId, data.train, trainConfig.seqLen)
        : null;
    let steps = 0;
    try {
      const options = { teacher: teacherModel, teacherCache: cached?.cache, control };
      for await (const m of train(student, data, trainConfig, options)) {
        steps = m.step;
        onStep(m);
      }
    } finally {
      control = null;
      if (cached) await keepTeacherCache(cached.cache, cached.key);
    }
    return {
      steps,
      stopped: steps < request.steps,
      parameters: student.parameterCount().total,
      trainTokens: data.train.length,
      valTokens: data.val.length,
    };
  },

  pause(): void {
    control?.pause();
  },

  resume(): void {
    control?.resume();
  },

  stop(): void {
    control?.stop();
  },

  /** The trained student's files (tfjs weights format), for download or for the model worker. */
  async exportStudent(): Promise<{ name: string; bytes: Uint8Array }[]> {
    if (!student) throw new Error("no student has been trained yet");
    const files = await serializeGpt(student);
    return [...files].map(([name, bytes]) => ({ name, bytes }));
  },

  ...recoveryTestHooks,
};

Comlink.expose(api);
