/**
 * Recorded runs: the lessons' key runs (the races of CE only against distilled and of fixed
 * against adaptive α, and forgetting) at lesson size, trained by `npm run models -- recorded` with the browser's own code and shipped as
 * public/recorded/lessons.json. The charts draw them at once, dashed and labelled "recorded", so a
 * lesson works on a slow computer or before the models have loaded.
 */
import type { StateCreator } from "zustand";
import type { ForgettingResult } from "../ml/experiments";
import { LANGUAGES, type Language } from "../ml/languages";
import type { StepMetrics } from "../ml/train";
import { whyOf } from "./i18n/problems";
import { decodeLanes, encodeLanes } from "./race";

/** Where the site keeps the recorded runs. */
export const RECORDED_PATH = "recorded/lessons.json";

/** A lesson's race: these lanes (the `race` setting's form), trained on a bundled corpus. */
export interface RecordedRace {
  corpus: Language;
  race: string;
  steps: number;
  seed: number;
  batchSize: number;
  lanes: { label: string; metrics: StepMetrics[] }[];
  seconds: number;
}

export interface RecordedLessons {
  format: "mome-recorded";
  version: 2;
  /** The command that wrote the file. */
  command: string;
  /** The lessons' races, in the lessons' order. */
  races: RecordedRace[];
  /** The Forgetting tab's run. */
  forgetting: { stepsPerPhase: number; seed: number; result: ForgettingResult };
}

/** The recorded race of these lanes (`race` in the setting's form), if there is one. */
export function recordedRace(recorded: RecordedLessons, race: string): RecordedRace | undefined {
  const same = (a: string) => encodeLanes(decodeLanes(a).lanes);
  return recorded.races.find((r) => same(r.race) === same(race));
}

const isPositiveInteger = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
const finite = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const scores = (s: unknown) =>
  typeof s === "object" && s !== null && Object.values(s).every(finite);

const raceOk = (race: RecordedRace) =>
  LANGUAGES.includes(race?.corpus) &&
  [race.steps, race.seed + 1, race.batchSize].every(isPositiveInteger) &&
  Array.isArray(race.lanes) &&
  race.lanes.length === decodeLanes(race.race ?? "").lanes.length &&
  race.lanes.every(
    (lane) =>
      typeof lane.label === "string" &&
      Array.isArray(lane.metrics) &&
      lane.metrics.every(
        (m) => isPositiveInteger(m.step) && finite(m.ce) && finite(m.total) && finite(m.alpha),
      ),
  );

/** Checks the shape of a recorded-runs file (a file from the site is still checked). */
export function parseRecorded(json: unknown): RecordedLessons {
  const j = json as RecordedLessons;
  const f = j?.forgetting;
  const ok =
    j?.format === "mome-recorded" &&
    j.version === 2 &&
    Array.isArray(j.races) &&
    j.races.length > 0 &&
    j.races.every(raceOk) &&
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
        set({ recordedRuns: { state: "error", message: whyOf(e) } });
      }
    },
  });
