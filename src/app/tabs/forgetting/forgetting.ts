/** The Forgetting tab's state and actions: a slice of the app store (UI → store → training worker). */
import * as Comlink from "comlink";
import i18next from "i18next";
import type { StateCreator } from "zustand";
import type { BackendName } from "../../../ml/backend-names";
import type { ExperimentsFile, ForgettingResult } from "../../../ml/experiments";
import { LANGUAGES, type Language } from "../../../ml/languages";
import { fetchCorpus } from "../../corpora";
import { numberFormat, translate } from "../../i18n";
import { whyOf } from "../../i18n/problems";
import { classNameIn } from "../../languages";
import type { Settings } from "../../settings";
import type { TrainWorker } from "../../worker-client";

export interface ForgettingRun {
  state: "idle" | "preparing" | "running" | "done" | "stopped" | "failed";
  /** Steps done of the whole run, and what trains now. */
  done: number;
  total: number;
  label: string;
  /** When training began (Date.now()), for the time left. */
  startedAt?: number;
  /** The tables so far (filled in phase by phase), then the whole result. */
  result?: ForgettingResult;
  message?: string;
}

export interface ForgettingSlice {
  forgettingRun: ForgettingRun;
  /** The MoE set-ups and forgetting study of `npm run reproduce` (public/results/experiments.json). */
  experiments:
    | { state: "idle" | "loading" }
    | { state: "ready"; value: ExperimentsFile }
    | { state: "error"; message: string };
  loadExperiments(): Promise<void>;
  /** Trains, at lesson size, one student in sequence, one with balanced batches, and four experts. */
  runForgetting(): Promise<void>;
  stopForgetting(): void;
  /** The training worker was restarted: a forgetting run in progress failed. */
  forgettingWorkerRestarted(reason: string): void;
}

interface Host {
  settings: Settings;
  /** The backend training runs start on (the link's, else the fastest measured here). */
  trainingBackend(): BackendName | undefined;
}

/** Where the site keeps `npm run reproduce`'s results for the charts. */
export const EXPERIMENTS_PATH = "results/experiments.json";

const busy = (run: ForgettingRun) => run.state === "preparing" || run.state === "running";

export const createForgettingSlice =
  (
    trainWorker: TrainWorker,
    urls: { models: string; corpus: (language: string) => string; base: string },
  ): StateCreator<ForgettingSlice & Host, [], [], ForgettingSlice> =>
  (set, get) => {
    const update = (change: Partial<ForgettingRun>) =>
      set({ forgettingRun: { ...get().forgettingRun, ...change } });
    return {
      forgettingRun: { state: "idle", done: 0, total: 0, label: "" },
      experiments: { state: "idle" },

      async loadExperiments() {
        if (get().experiments.state === "loading" || get().experiments.state === "ready") return;
        set({ experiments: { state: "loading" } });
        try {
          const response = await fetch(new URL(EXPERIMENTS_PATH, urls.base));
          if (!response.ok) throw new Error(`results/experiments.json: HTTP ${response.status}`);
          set({ experiments: { state: "ready", value: parseExperiments(await response.json()) } });
        } catch (e) {
          set({ experiments: { state: "error", message: whyOf(e) } });
        }
      },

      async runForgetting() {
        if (busy(get().forgettingRun)) return;
        const s = get().settings;
        set({
          forgettingRun: {
            state: "preparing",
            done: 0,
            total: 0,
            label: translate("forget.loadingCorpora"),
          },
        });
        try {
          const texts = {} as Record<Language, string>;
          for (const lang of LANGUAGES) {
            texts[lang] = await fetchCorpus(urls.corpus(lang), lang);
          }
          const backend = get().trainingBackend();
          await trainWorker.startup(translate("startup.tf"), (w) =>
            w.prepare(urls.models, false, backend),
          );
          update({ state: "running", startedAt: Date.now(), label: translate("forget.starting") });
          // Steps arrive one by one; the bar is redrawn at most every 200 ms.
          let latest = { done: 0, total: 0, label: "" };
          const timer = setInterval(() => update(latest), 200);
          try {
            const onProgress = Comlink.proxy((done: number, total: number, label: string) => {
              latest = { done, total, label: phaseLabel(label) };
            });
            const onPhase = Comlink.proxy((partial: ForgettingResult) =>
              update({ result: partial }),
            );
            const result = await trainWorker.call((w) =>
              w.forgetting(
                { modelsUrl: urls.models, texts, stepsPerPhase: s.forgetSteps, seed: s.seed },
                onProgress,
                onPhase,
              ),
            );
            const complete = result.moe[result.order[0]] !== undefined;
            update({ ...latest, state: complete ? "done" : "stopped", result });
          } finally {
            clearInterval(timer);
          }
        } catch (e) {
          if (busy(get().forgettingRun)) update({ state: "failed", message: whyOf(e) });
        }
      },

      stopForgetting() {
        if (busy(get().forgettingRun)) void trainWorker.api.stop();
      },

      forgettingWorkerRestarted(reason) {
        if (busy(get().forgettingRun)) update({ state: "failed", message: reason });
      },
    };
  };

/**
 * What the numbers show, in a sentence or two (null before the experts are scored): how far each
 * language's perplexity rose after its own phase in sequence, against balanced batches and experts.
 */
export function forgettingCaption(result: ForgettingResult): string | null {
  const { order, sequential, balanced, moe } = result;
  if (sequential.length < order.length || moe[order[0]] === undefined) return null;
  const numbers = numberFormat(i18next.language);
  const f = (v: number) => numbers.number(v);
  const name = (id: string) => classNameIn(translate, id);
  // For every language but the last: its perplexity right after its phase, and the worst later.
  const rises = order.slice(0, -1).map((lang, phase) => {
    const own = sequential[phase][lang] ?? Number.NaN;
    const worst = Math.max(...sequential.slice(phase + 1).map((p) => p[lang] ?? Number.NaN));
    return { lang, own, worst, factor: worst / own };
  });
  const first = rises[0];
  const mean = rises.reduce((s, r) => s + r.factor, 0) / rises.length;
  const balancedFirst = balanced.map((p) => p[first.lang] ?? Number.NaN);
  return translate("forget.caption", {
    language: name(first.lang),
    own: f(first.own),
    worst: f(first.worst),
    factor: numbers.number(first.factor, 1),
    mean: numbers.number(mean, 1),
    languages: rises.map((r) => name(r.lang)).join(", "),
    from: f(balancedFirst[0]),
    to: f(balancedFirst.at(-1) ?? Number.NaN),
    expert: f(moe[first.lang] ?? Number.NaN),
  });
}

/**
 * What a step of the experiment trains, in the UI's language: the worker says it in the CLI's
 * English ("sequential fr", "balanced chunk 2", "expert de", "new expert, step 3"); anything else
 * shows as it came.
 */
export function phaseLabel(label: string): string {
  const language = (id: string) => classNameIn(translate, id);
  let m = /^(sequential|expert) (\w+)$/.exec(label);
  if (m)
    return m[1] === "sequential"
      ? translate("forget.phase.sequential", { language: language(m[2]) })
      : translate("forget.phase.expert", { language: language(m[2]) });
  m = /^balanced chunk (\d+)$/.exec(label);
  if (m) return translate("forget.phase.balanced", { chunk: m[1] });
  m = /^(new expert|shared model), step (\d+)$/.exec(label);
  if (m)
    return m[1] === "new expert"
      ? translate("add.phase.expert", { step: m[2] })
      : translate("add.phase.shared", { step: m[2] });
  return label;
}

/** Checks the shape of public/results/experiments.json (a file from the site is still checked). */
export function parseExperiments(json: unknown): ExperimentsFile {
  const j = json as ExperimentsFile;
  const scores = (s: unknown) =>
    typeof s === "object" &&
    s !== null &&
    Object.values(s).every((v) => typeof v === "number" && Number.isFinite(v));
  const ok =
    j?.format === "mome-experiments" &&
    j.version === 1 &&
    ["ple", "jeet", "moeCe"].every((k) => scores(j.moe?.result?.routed?.[k as "ple"])) &&
    Array.isArray(j.forgetting?.result?.sequential) &&
    j.forgetting.result.sequential.every(scores) &&
    Array.isArray(j.forgetting.result.balanced) &&
    j.forgetting.result.balanced.every(scores) &&
    scores(j.forgetting.result.moe) &&
    Array.isArray(j.forgetting.result.order);
  if (!ok) throw new Error("results/experiments.json is not a MoME Lab experiments file");
  return j;
}
