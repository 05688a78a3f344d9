/** Training state and actions: a slice of the app store (UI → store → training worker). */
import * as Comlink from "comlink";
import { clear, del, entries, set as keep } from "idb-keyval";
import type { StateCreator } from "zustand";
import type { BackendName } from "../../../ml/backend-names";
import { MAX_LANES } from "../../../ml/presets";
import type { StepMetrics } from "../../../ml/train";
import type { TrainRequest } from "../../../workers/train-types";
import { fetchCorpus } from "../../corpora";
import { translate } from "../../i18n";
import { whyOf } from "../../i18n/problems";
import { classNameIn } from "../../languages";
import { decodeLanes, encodeLanes, type Lane, laneLabels, laneOf, laneRequest } from "../../race";
import type { Settings } from "../../settings";
import type { ModelWorker, TrainWorker } from "../../worker-client";
import {
  type KeptRun,
  notKeptMessage,
  type Run,
  readTextFile,
  runStorage,
  speedKey,
  studentRun,
  textProblem,
} from "./runs";
import { type StudentActions, studentActions } from "./student-actions";
import { type TeacherChoice, teacherChoice } from "./teacher-choice";

export type LiveKnob = "learningRate" | "alpha" | "kdTemperature";

export interface TrainingSlice extends StudentActions, TeacherChoice {
  runs: Run[];
  customText: { name: string; text: string } | null;
  customTextError: string | null;
  setCustomText(name: string, text: string): void;
  loadCustomFile(file: File): Promise<void>;
  /** Trains one student with the current settings. */
  startTraining(): Promise<void>;
  /** Adds the current settings to the race (at most MAX_LANES lanes, kept in the link). */
  addToRace(): void;
  removeFromRace(index: number): void;
  /** Trains every lane of the race at once, in lock-step, on the same batches. */
  startRace(): Promise<void>;
  /** Changes a live knob of the running lanes from their next step (and the setting with it). */
  setKnob(knob: LiveKnob, value: number): void;
  /** Measured milliseconds per lane-step, by size, teacher and batch (for "about N s"). */
  stepMs: Record<string, number>;
  pauseTraining(): void;
  resumeTraining(): void;
  stopTraining(): void;
  removeRun(id: number): void;
  /** Runs whose student is kept (in this tab and in IndexedDB): Download and Use act on one. */
  studentRunIds: number[];
  /** The run whose student Download and Use act on (null: the latest kept). */
  chosenStudentRun: number | null;
  chooseStudentRun(id: number): void;
  /** Brings back the finished runs and students kept in this browser (IndexedDB). */
  restoreRuns(): Promise<void>;
  /** Forgets every finished run, here and in this browser's storage. */
  clearSavedRuns(): Promise<void>;
  /** Why a run could not be kept in this browser (a full quota, storage blocked), or null. */
  storageError: string | null;
  /** The training worker crashed or lost its GPU and was restarted: the active run failed. */
  trainWorkerRestarted(reason: string): void;
}

/** What the training slice needs from the rest of the store. */
interface Host {
  settings: Settings;
  /** The backend training runs start on (the link's, else the fastest measured here). */
  trainingBackend(): BackendName | undefined;
  setSetting<K extends keyof Settings>(key: K, value: Settings[K]): void;
}

export const createTrainingSlice =
  (
    workers: { models: ModelWorker; training: TrainWorker },
    urls: { models: string; corpus: (language: string) => string },
  ): StateCreator<TrainingSlice & Host, [], [], TrainingSlice> =>
  (set, get) => {
    const { models, training: trainWorker } = workers;
    let nextRunId = 1;
    let nextRaceId = 1;
    /** Each finished or stopped run's student (model.json and shards), by run id. */
    const students = new Map<number, { name: string; bytes: Uint8Array }[]>();
    const storage = runStorage();
    /** Keeps a finished run and its student in this browser; says so if it can't. */
    const persist = async (id: number) => {
      const run = get().runs.find((r) => r.id === id);
      const files = students.get(id);
      if (!storage || !run || !files) return;
      try {
        await keep(String(id), { run, files } satisfies KeptRun, storage);
      } catch (e) {
        set({ storageError: notKeptMessage(id, e) });
      }
    };
    /** Set while a run prepares: Stop then ends it without waiting for the worker. */
    let stopWhilePreparing: (() => void) | null = null;
    const update = (id: number, change: Partial<Run> | ((r: Run) => Partial<Run>)) =>
      set({
        runs: get().runs.map((r) =>
          r.id === id ? { ...r, ...(typeof change === "function" ? change(r) : change) } : r,
        ),
      });
    const active = () =>
      get().runs.filter(
        (r) => r.state === "running" || r.state === "paused" || r.state === "preparing",
      );
    const updateActive = (change: Partial<Run>) => {
      for (const run of active()) update(run.id, change);
    };
    /** The worker's student of the latest finished lane. */
    const chosenStudent = async () => {
      const { runs, studentRunIds, chosenStudentRun } = get();
      const run = studentRun(runs, studentRunIds, chosenStudentRun);
      const files = run && students.get(run.id);
      if (!run || !files) throw new Error(translate("train.noStudent"));
      return files;
    };

    /** Trains these lanes in lock-step on the same batches (one lane: a single student). */
    const runLanes = async (lanes: Lane[]) => {
      if (active().length > 0 || lanes.length === 0) return;
      const s = get().settings;
      const raceId = nextRaceId++;
      const corpus =
        s.corpus === "custom" ? translate("train.yourText") : classNameIn(translate, s.corpus);
      const labels = laneLabels(lanes);
      const runs: Run[] = lanes.map((lane, i) => {
        const id = nextRunId++;
        return {
          id,
          label: `#${id} ${corpus}, ${labels[i]}`,
          metrics: [],
          state: "preparing",
          raceId,
          lane: i,
          settings: lane,
          knobChanges: [],
        };
      });
      set({ runs: [...get().runs, ...runs] });
      const ids = runs.map((r) => r.id);
      // Stop while preparing (loading the corpus, a slow or stalled teacher download) ends the
      // run at once; a preparation that finishes later goes unused.
      const stopPressed = { pressed: false, promise: Promise.resolve<null>(null) };
      stopPressed.promise = new Promise<null>((resolve) => {
        stopWhilePreparing = () => {
          stopPressed.pressed = true;
          resolve(null);
        };
      });
      try {
        let text: string;
        if (s.corpus === "custom") {
          const custom = get().customText;
          if (!custom) throw new Error(translate("add.noText"));
          text = custom.text;
        } else {
          text = await fetchCorpus(urls.corpus(s.corpus), s.corpus);
        }
        const distil = lanes.some((lane) => lane.distil === "on");
        const backend = get().trainingBackend();
        const onTeacherProgress = Comlink.proxy((loaded: number, total: number) =>
          updateActive({ teacherLoad: { loaded, total } }),
        );
        const prepared = stopPressed.pressed
          ? null
          : await Promise.race([
              trainWorker.startup(translate("startup.teacher"), (w) =>
                w.prepare(urls.models, distil, backend, onTeacherProgress),
              ),
              stopPressed.promise,
            ]);
        stopWhilePreparing = null;
        if (!prepared) {
          for (const id of ids)
            update(id, {
              state: "stopped",
              teacherLoad: undefined,
              message: translate("train.stoppedPreparing"),
            });
          return;
        }
        const startedAt = Date.now();
        updateActive({
          state: "running",
          teacherLoad: undefined,
          backend: prepared.backend,
          startedAt,
        });
        const request: TrainRequest = {
          text,
          steps: s.steps,
          seed: s.seed,
          batchSize: s.batch,
          lanes: lanes.map(laneRequest),
        };
        // Metrics arrive every step; the charts are redrawn at most every 400 ms: redrawing five
        // charts costs the page's thread tens of milliseconds, a core the teacher and the student
        // share on a two-core machine.
        let pending: StepMetrics[][] = lanes.map(() => []);
        const flush = () => {
          const arrived = pending;
          pending = lanes.map(() => []);
          arrived.forEach((metrics, lane) => {
            if (metrics.length > 0)
              update(ids[lane], (r) => ({ metrics: [...r.metrics, ...metrics] }));
          });
        };
        const timer = setInterval(flush, 400);
        try {
          const onStep = Comlink.proxy(
            (lane: number, m: StepMetrics) => void pending[lane].push(m),
          );
          const summaries = await trainWorker.call((w) => w.train(request, onStep));
          flush();
          for (const [lane, summary] of summaries.entries()) {
            update(ids[lane], {
              state: summary.stopped ? "stopped" : "done",
              parameters: summary.parameters,
            });
          }
          const laneSteps = summaries.reduce((sum, summary) => sum + summary.steps, 0);
          if (laneSteps > 0) {
            const ms = (Date.now() - startedAt) / laneSteps;
            const stepMs = { ...get().stepMs };
            for (const lane of lanes) stepMs[speedKey(lane, s.batch)] = ms;
            set({ stepMs });
          }
          // Each lane's student is kept with its run, so a later run (or a crash) can't lose it.
          for (const [lane, summary] of summaries.entries()) {
            if (summary.steps === 0) continue;
            try {
              students.set(ids[lane], await trainWorker.call((w) => w.exportStudent(lane)));
            } catch (e) {
              set({
                exportError: translate("train.studentNotKept", {
                  id: ids[lane],
                  why: whyOf(e),
                }),
              });
              continue;
            }
            set({ studentRunIds: [...get().studentRunIds, ids[lane]], chosenStudentRun: null });
            await persist(ids[lane]);
          }
        } finally {
          clearInterval(timer);
          flush();
        }
      } catch (e) {
        stopWhilePreparing = null;
        for (const id of ids) {
          const run = get().runs.find((r) => r.id === id);
          if (run && ["preparing", "running", "paused"].includes(run.state))
            update(id, { state: "failed", message: whyOf(e) });
        }
      }
    };

    return {
      trainWorkerRestarted(reason) {
        updateActive({ state: "failed", message: translate("train.restarted", { why: reason }) });
      },

      runs: [],
      stepMs: {},
      sentStudent: null,
      studentFileError: null,
      exportError: null,
      ownTeacher: null,
      teacherError: null,
      customText: null,
      customTextError: null,

      setCustomText(name, text) {
        const problem = textProblem(new TextEncoder().encode(text).length, text);
        // A refused text leaves nothing selected: training must not go on with an earlier one.
        set(
          problem
            ? { customText: null, customTextError: problem }
            : { customText: { name, text }, customTextError: null },
        );
      },

      async loadCustomFile(file) {
        const read = await readTextFile(file);
        if ("text" in read) get().setCustomText(file.name, read.text);
        else set({ customText: null, customTextError: read.problem });
      },

      startTraining() {
        return runLanes([laneOf(get().settings)]);
      },

      addToRace() {
        const { lanes } = decodeLanes(get().settings.race);
        if (lanes.length >= MAX_LANES) return;
        get().setSetting("race", encodeLanes([...lanes, laneOf(get().settings)]));
      },

      removeFromRace(index) {
        const { lanes } = decodeLanes(get().settings.race);
        get().setSetting("race", encodeLanes(lanes.filter((_, i) => i !== index)));
      },

      startRace() {
        return runLanes(decodeLanes(get().settings.race).lanes);
      },

      setKnob(knob, value) {
        get().setSetting(knob, value);
        const { text, knobs } = {
          learningRate: { text: `lr ${value}`, knobs: { learningRate: value } },
          alpha: { text: `α ${value}`, knobs: { alpha: value } },
          kdTemperature: { text: `T ${value}`, knobs: { temperature: value } },
        }[knob];
        for (const run of active()) {
          if (run.state === "preparing") continue;
          void trainWorker.api.setKnobs(run.lane, knobs);
          const step = (run.metrics.at(-1)?.step ?? 0) + 1;
          update(run.id, { knobChanges: [...run.knobChanges, { step, text }] });
        }
      },

      pauseTraining() {
        if (!active().some((r) => r.state === "running")) return;
        void trainWorker.api.pause();
        updateActive({ state: "paused" });
      },

      resumeTraining() {
        if (!active().some((r) => r.state === "paused")) return;
        void trainWorker.api.resume();
        updateActive({ state: "running" });
      },

      stopTraining() {
        if (stopWhilePreparing) stopWhilePreparing();
        else if (active().length > 0) void trainWorker.api.stop();
      },

      removeRun(id) {
        if (active().some((r) => r.id === id)) return;
        students.delete(id);
        set({
          runs: get().runs.filter((r) => r.id !== id),
          studentRunIds: get().studentRunIds.filter((r) => r !== id),
        });
        if (storage) void del(String(id), storage).catch(() => undefined);
      },

      studentRunIds: [],
      chosenStudentRun: null,
      storageError: null,

      chooseStudentRun(id) {
        if (get().studentRunIds.includes(id)) set({ chosenStudentRun: id });
      },

      async restoreRuns() {
        if (!storage) return;
        try {
          const kept = (await entries<string, KeptRun>(storage))
            .map(([, k]) => k)
            .filter((k) => !get().runs.some((r) => r.id === k.run.id))
            .sort((a, b) => a.run.id - b.run.id);
          if (kept.length === 0) return;
          for (const k of kept) students.set(k.run.id, k.files);
          const restored = kept.map((k) => k.run);
          nextRunId = Math.max(nextRunId, ...restored.map((r) => r.id + 1));
          nextRaceId = Math.max(nextRaceId, ...restored.map((r) => r.raceId + 1));
          set({
            runs: [...restored, ...get().runs].sort((a, b) => a.id - b.id),
            studentRunIds: [...kept.map((k) => k.run.id), ...get().studentRunIds],
          });
        } catch (e) {
          set({ storageError: translate("train.savedUnreadable", { why: whyOf(e) }) });
        }
      },

      async clearSavedRuns() {
        // The stored runs go first: a page reloaded in the meantime must not bring them back.
        if (storage) await clear(storage).catch(() => undefined);
        const kept = new Set(get().studentRunIds);
        for (const id of kept) students.delete(id);
        set({
          runs: get().runs.filter((r) => !kept.has(r.id)),
          studentRunIds: [],
          chosenStudentRun: null,
          storageError: null,
        });
      },

      ...studentActions(models, set, get, chosenStudent),
      ...teacherChoice(trainWorker, urls.models, set),
    };
  };
