/** Training state and actions: a slice of the app store (UI → store → training worker). */
import * as Comlink from "comlink";
import { unzipSync, zipSync } from "fflate";
import type { StateCreator } from "zustand";
import type { AlphaSpec } from "../ml/alpha";
import { MAX_TEXT_BYTES, MIN_TEXT_CHARS } from "../ml/presets";
import type { StepMetrics } from "../ml/train";
import type { TrainRequest } from "../workers/train-types";
import type { Settings } from "./settings";
import type { ModelWorker, TrainWorker } from "./worker-client";

export interface Run {
  id: number;
  label: string;
  metrics: StepMetrics[];
  state: "preparing" | "running" | "paused" | "done" | "stopped" | "failed";
  message?: string;
  parameters?: number;
  /** The compute backend the training worker runs on. */
  backend?: string;
  /** While preparing: how much of the teacher has arrived. */
  teacherLoad?: { loaded: number; total: number };
}

export interface TrainingSlice {
  runs: Run[];
  customText: { name: string; text: string } | null;
  customTextError: string | null;
  setCustomText(name: string, text: string): void;
  loadCustomFile(file: File): Promise<void>;
  startTraining(): Promise<void>;
  pauseTraining(): void;
  resumeTraining(): void;
  stopTraining(): void;
  removeRun(id: number): void;
  downloadStudent(): Promise<void>;
  /** Loads the last trained student into the model worker and opens Teacher vs student with it. */
  sendStudentToCompare(): Promise<void>;
  /** Loads a student downloaded earlier (its zip) into the model worker, as Use in Teacher vs student does. */
  loadStudentFile(file: File): Promise<void>;
  /** Set once a student has been sent or loaded: its parameter count and where it came from. */
  sentStudent: { parameters: number; source: string } | null;
  studentFileError: string | null;
  exportError: string | null;
  /** The training worker crashed or lost its GPU and was restarted: the active run failed. */
  trainWorkerRestarted(reason: string): void;
}

/** What the training slice needs from the rest of the store. */
interface Host {
  settings: Settings;
  setSetting<K extends keyof Settings>(key: K, value: Settings[K]): void;
}

const MAX_STUDENT_ZIP_BYTES = 64 * 2 ** 20;

/** The name under which a student trained here is loaded in the model worker. */
export const TRAINED_STUDENT = "your-student";

export function alphaSpec(s: Settings): AlphaSpec {
  switch (s.alphaMode) {
    case "fixed":
      return { kind: "fixed", alpha: s.alpha };
    case "adaptive":
      return { kind: "adaptive" };
    case "linear":
    case "cosine":
      return { kind: s.alphaMode, from: 1, to: s.alpha };
    case "step":
      return { kind: "step", from: 1, to: s.alpha, at: 0.5 };
  }
}

export function runLabel(s: Settings, id: number): string {
  const corpus = s.corpus === "custom" ? "your text" : s.corpus;
  if (s.distil === "off") return `#${id} ${corpus}, ${s.size}, CE only`;
  const alpha =
    s.alphaMode === "adaptive"
      ? "adaptive α"
      : s.alphaMode === "fixed"
        ? `α ${s.alpha}`
        : `${s.alphaMode} α→${s.alpha}`;
  return `#${id} ${corpus}, ${s.size}, ${alpha}, ${s.kdLoss}${s.lossMode === "alternating" ? ", alternating" : ""}`;
}

/** Why a file or pasted text cannot be trained on, or null. */
export function textProblem(bytes: number, text: string): string | null {
  if (bytes > MAX_TEXT_BYTES)
    return `This text is ${(bytes / 2 ** 20).toFixed(1)} MB; the limit is 5 MB.`;
  if (text.includes("\u0000") || (text.match(/\uFFFD/g)?.length ?? 0) > text.length / 100) {
    return "This does not look like text (it has NUL bytes or many invalid characters). Please use a UTF-8 text file.";
  }
  if (text.trim().length < MIN_TEXT_CHARS)
    return `This text is too short to train on: please give at least ${MIN_TEXT_CHARS} characters.`;
  return null;
}

export const createTrainingSlice =
  (
    workers: { models: ModelWorker; training: TrainWorker },
    urls: { models: string; corpus: (language: string) => string },
  ): StateCreator<TrainingSlice & Host, [], [], TrainingSlice> =>
  (set, get) => {
    const { models, training: trainWorker } = workers;
    let nextRunId = 1;
    const update = (id: number, change: Partial<Run> | ((r: Run) => Partial<Run>)) =>
      set({
        runs: get().runs.map((r) =>
          r.id === id ? { ...r, ...(typeof change === "function" ? change(r) : change) } : r,
        ),
      });
    const active = () =>
      get().runs.find(
        (r) => r.state === "running" || r.state === "paused" || r.state === "preparing",
      );

    return {
      trainWorkerRestarted(reason) {
        const run = active();
        if (run) update(run.id, { state: "failed", message: `${reason}; finished runs are kept` });
      },

      runs: [],
      sentStudent: null,
      studentFileError: null,
      exportError: null,
      customText: null,
      customTextError: null,

      setCustomText(name, text) {
        const problem = textProblem(new TextEncoder().encode(text).length, text);
        set(
          problem
            ? { customTextError: problem }
            : { customText: { name, text }, customTextError: null },
        );
      },

      async loadCustomFile(file) {
        if (file.size > MAX_TEXT_BYTES) {
          set({
            customTextError: `${file.name} is ${(file.size / 2 ** 20).toFixed(1)} MB; the limit is 5 MB.`,
          });
          return;
        }
        try {
          get().setCustomText(file.name, await file.text());
        } catch (e) {
          set({ customTextError: `Could not read ${file.name}: ${(e as Error).message}` });
        }
      },

      async startTraining() {
        if (active()) return;
        const s = get().settings;
        const id = nextRunId++;
        set({
          runs: [...get().runs, { id, label: runLabel(s, id), metrics: [], state: "preparing" }],
        });
        try {
          let text: string;
          if (s.corpus === "custom") {
            const custom = get().customText;
            if (!custom) throw new Error("paste or upload a text first");
            text = custom.text;
          } else {
            const response = await fetch(urls.corpus(s.corpus));
            if (!response.ok)
              throw new Error(`the ${s.corpus} corpus could not load (HTTP ${response.status})`);
            text = await response.text();
          }
          const distil = s.distil === "on";
          const backend = s.backend === "auto" ? undefined : s.backend;
          const onTeacherProgress = Comlink.proxy((loaded: number, total: number) =>
            update(id, { teacherLoad: { loaded, total } }),
          );
          const prepared = await trainWorker.call((w) =>
            w.prepare(urls.models, distil, backend, onTeacherProgress),
          );
          update(id, { state: "running", teacherLoad: undefined, backend: prepared.backend });
          const request: TrainRequest = {
            text,
            preset: s.size,
            steps: s.steps,
            batchSize: s.batch,
            learningRate: s.learningRate,
            seed: s.seed,
            kd: distil
              ? {
                  loss: s.kdLoss,
                  temperature: s.kdTemperature,
                  alpha: alphaSpec(s),
                  mode: s.lossMode,
                }
              : undefined,
          };
          // Metrics arrive every step; the charts are redrawn at most every 200 ms.
          let pending: StepMetrics[] = [];
          const flush = () => {
            if (pending.length === 0) return;
            const batch = pending;
            pending = [];
            update(id, (r) => ({ metrics: [...r.metrics, ...batch] }));
          };
          const timer = setInterval(flush, 200);
          try {
            const onStep = Comlink.proxy((m: StepMetrics) => void pending.push(m));
            const summary = await trainWorker.call((w) => w.train(request, onStep));
            flush();
            update(id, {
              state: summary.stopped ? "stopped" : "done",
              parameters: summary.parameters,
            });
          } finally {
            clearInterval(timer);
            flush();
          }
        } catch (e) {
          update(id, { state: "failed", message: (e as Error).message });
        }
      },

      pauseTraining() {
        const run = active();
        if (run?.state !== "running") return;
        void trainWorker.api.pause();
        update(run.id, { state: "paused" });
      },

      resumeTraining() {
        const run = active();
        if (run?.state !== "paused") return;
        void trainWorker.api.resume();
        update(run.id, { state: "running" });
      },

      stopTraining() {
        if (active()) void trainWorker.api.stop();
      },

      removeRun(id) {
        if (active()?.id === id) return;
        set({ runs: get().runs.filter((r) => r.id !== id) });
      },

      async sendStudentToCompare() {
        set({ exportError: null });
        try {
          const files = await trainWorker.call((w) => w.exportStudent());
          const { parameters } = await models.call((w) =>
            w.loadModelFromFiles(TRAINED_STUDENT, files),
          );
          set({ sentStudent: { parameters, source: "trained in this tab" } });
          get().setSetting("expert", "mine");
          get().setSetting("panel", "compare");
        } catch (e) {
          set({ exportError: `The student could not be sent: ${(e as Error).message}` });
        }
      },

      async loadStudentFile(file) {
        set({ studentFileError: null });
        try {
          if (file.size > MAX_STUDENT_ZIP_BYTES)
            throw new Error(
              `it is ${(file.size / 2 ** 20).toFixed(1)} MB; a student zip is at most 64 MB`,
            );
          let entries: Record<string, Uint8Array>;
          try {
            entries = unzipSync(new Uint8Array(await file.arrayBuffer()));
          } catch {
            throw new Error("it is not a zip file (use one saved with Download student)");
          }
          if (!entries["model.json"])
            throw new Error("the zip has no model.json (use one saved with Download student)");
          const files = Object.entries(entries).map(([name, bytes]) => ({ name, bytes }));
          const { parameters } = await models.call((w) =>
            w.loadModelFromFiles(TRAINED_STUDENT, files),
          );
          set({ sentStudent: { parameters, source: file.name } });
          get().setSetting("expert", "mine");
        } catch (e) {
          set({ studentFileError: `${file.name} could not be loaded: ${(e as Error).message}` });
        }
      },

      async downloadStudent() {
        set({ exportError: null });
        try {
          const files = await trainWorker.call((w) => w.exportStudent());
          // One zip (model.json + weight shards, the tfjs weights format), not one download per file.
          const zip = zipSync(Object.fromEntries(files.map((f) => [f.name, f.bytes])));
          const url = URL.createObjectURL(
            new Blob([zip as Uint8Array<ArrayBuffer>], { type: "application/zip" }),
          );
          const a = document.createElement("a");
          a.href = url;
          a.download = "mome-lab-student.zip";
          a.click();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
        } catch (e) {
          set({ exportError: `The student could not be downloaded: ${(e as Error).message}` });
        }
      },
    };
  };
