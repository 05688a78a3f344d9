/**
 * Recorded runs: the lessons' key runs (the race of fixed against adaptive α, and forgetting) at
 * lesson size, trained by `npm run models -- recorded` with the browser's own code and shipped as
 * public/recorded/lessons.json. The charts draw them at once, dashed and labelled "recorded", so a
 * lesson works on a slow computer or before the models have loaded.
 */
import type { StateCreator } from "zustand";
import type { ForgettingResult } from "../ml/experiments";
import { LANGUAGES, type Language } from "../ml/languages";
import type { StepMetrics } from "../ml/train";
import { decodeLanes } from "./race";

/** Where the site keeps the recorded runs. */
export const RECORDED_PATH = "recorded/lessons.json";

export interface RecordedLessons {
  format: "mome-recorded";
  version: 1;
  /** The command that wrote the file. */
  command: string;
  /** The lessons' race: these lanes (the `race` setting's form), trained on a bundled corpus. */
  race: {
    corpus: Language;
    race: string;
    steps: number;
    seed: number;
    batchSize: number;
    lanes: { label: string; metrics: StepMetrics[] }[];
    seconds: number;
  };
  /** The Forgetting tab's run. */
  forgetting: { stepsPerPhase: number; seed: number; result: ForgettingResult };
}

const isPositiveInteger = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const scores = (s: unknown) =>
  typeof s === "object" && s !== null && Object.values(s).every(finite);

/** Checks the shape of a recorded-runs file (a file from the site is still checked). */
export function parseRecorded(json: unknown): RecordedLessons {
  const j = json as RecordedLessons;
  const race = j?.race;
  const lanesOk =
    Array.isArray(race?.lanes) &&
    race.lanes.length === decodeLanes(race.race ?? "").lanes.length &&
    race.lanes.every(
      (lane) =>
        typeof lane.label === "string" &&
        Array.isArray(lane.metrics) &&
        lane.metrics.every(
          (m) => isPositiveInteger(m.step) && finite(m.ce) && finite(m.total) && finite(m.alpha),
        ),
    );
  const f = j?.forgetting;
  const ok =
    j?.format === "mome-recorded" &&
    j.version === 1 &&
    LANGUAGES.includes(race?.corpus) &&
    [race?.steps, race?.seed + 1, race?.batchSize].every(isPositiveInteger) &&
    lanesOk &&
    isPositiveInteger(f?.stepsPerPhase) &&
    Array.isArray(f.result?.sequential) &&
    f.result.sequential.every(scores) &&
    Array.isArray(f.result.balanced) &&
    f.result.balanced.every(scores) &&
    scores(f.result.moe) &&
    Array.isArray(f.result.order);
  if (!ok) throw new Error(`${RECORDED_PATH} is not a MoME Lab recorded-runs file`);
  return j;
}

export interface RecordedSlice {
  recordedRuns:
    | { state: "idle" | "loading" }
    | { state: "ready"; value: RecordedLessons }
    | { state: "error"; message: string };
  /** Fetches the recorded runs once (later calls keep what came). */
  loadRecordedRuns(): Promise<void>;
}

export const createRecordedSlice =
  (base: string): StateCreator<RecordedSlice, [], [], RecordedSlice> =>
  (set, get) => ({
    recordedRuns: { state: "idle" },
    async loadRecordedRuns() {
      const { state } = get().recordedRuns;
      if (state === "loading" || state === "ready") return;
      set({ recordedRuns: { state: "loading" } });
      try {
        const response = await fetch(new URL(RECORDED_PATH, base));
        if (!response.ok) throw new Error(`${RECORDED_PATH}: HTTP ${response.status}`);
        set({ recordedRuns: { state: "ready", value: parseRecorded(await response.json()) } });
      } catch (e) {
        set({ recordedRuns: { state: "error", message: (e as Error).message } });
      }
    },
  });
