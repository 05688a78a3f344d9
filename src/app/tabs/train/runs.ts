/** A training run as the Train tab shows it, and what the tab works out from runs. */
import { createStore, type UseStore } from "idb-keyval";
import { MAX_TEXT_BYTES, MIN_TEXT_CHARS } from "../../../ml/presets";
import type { StepMetrics } from "../../../ml/train";
import { translate } from "../../i18n";
import { whyOf } from "../../i18n/problems";
import type { Lane } from "../../race";

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
  /** The run of lanes (a race, or a single student) it belongs to, and its lane there. */
  raceId: number;
  lane: number;
  /** The lane's settings. */
  settings: Lane;
  /** When it began training (Date.now()), for the time left. */
  startedAt?: number;
  /** Live knob changes: the step from which each applies, and what changed. */
  knobChanges: { step: number; text: string }[];
}

/** The name under which a student trained here is loaded in the model worker. */
export const TRAINED_STUDENT = "your-student";

/** The key under which a lane's measured step time is kept. */
export const speedKey = (lane: Lane, batch: number) => `${lane.size}|${lane.distil}|${batch}`;

/** The run whose student Download and Use act on: the chosen one, else the latest kept. */
export function studentRun(
  runs: readonly Run[],
  kept: readonly number[],
  chosen: number | null,
): Run | undefined {
  const id = chosen !== null && kept.includes(chosen) ? chosen : kept.at(-1);
  return runs.find((r) => r.id === id);
}

/** A finished run and its student's files, as kept in IndexedDB. */
export interface KeptRun {
  run: Run;
  files: { name: string; bytes: Uint8Array }[];
}

/** The IndexedDB store of finished runs (none where IndexedDB is missing, e.g. in Node). */
export function runStorage(): UseStore | null {
  return typeof indexedDB === "undefined" ? null : createStore("mome-lab-runs", "runs");
}

/** Seconds a run of these lanes should take, from measured step times; null where none is known. */
export function estimateSeconds(
  lanes: readonly Lane[],
  steps: number,
  batch: number,
  stepMs: Record<string, number>,
): number | null {
  let ms = 0;
  for (const lane of lanes) {
    const measured = stepMs[speedKey(lane, batch)];
    if (measured === undefined) return null;
    ms += measured * steps;
  }
  return ms / 1000;
}

/** Why a run could not be kept in this browser (its storage full, or another reason). */
export const notKeptMessage = (id: number, e: unknown): string =>
  (e as DOMException).name === "QuotaExceededError"
    ? translate("train.notKeptFull", { id })
    : translate("train.notKept", { id, why: whyOf(e) });

/** Why a file (`name`) or pasted text cannot be trained on, or null. */
export function textProblem(bytes: number, text: string, name?: string): string | null {
  if (bytes > MAX_TEXT_BYTES) {
    const sizes = { size: (bytes / 2 ** 20).toFixed(1), most: MAX_TEXT_BYTES / 2 ** 20 };
    return name
      ? translate("custom.fileTooBig", { name, ...sizes })
      : translate("custom.tooBig", sizes);
  }
  if (text.includes("\u0000") || (text.match(/\uFFFD/g)?.length ?? 0) > text.length / 100) {
    return translate("custom.notText");
  }
  if (text.trim().length < MIN_TEXT_CHARS)
    return translate("custom.tooShort", { least: MIN_TEXT_CHARS });
  return null;
}

/** A chosen file's text, or why it can't be trained on (too large to read, unreadable). */
export async function readTextFile(file: File): Promise<{ text: string } | { problem: string }> {
  const tooLarge = file.size > MAX_TEXT_BYTES && textProblem(file.size, "", file.name);
  if (tooLarge) return { problem: tooLarge };
  try {
    return { text: await file.text() };
  } catch (e) {
    return {
      problem: translate("custom.unreadable", { name: file.name, why: whyOf(e) }),
    };
  }
}
