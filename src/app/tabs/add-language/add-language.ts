/** "Add a language": state and actions, a slice of the app store (UI → store → both workers). */
import * as Comlink from "comlink";
import i18next from "i18next";
import { del as idbDel, get as idbGet, set as idbSet } from "idb-keyval";
import type { StateCreator } from "zustand";
import type { BackendName } from "../../../ml/backend-names";
import { heldOutPart } from "../../../ml/data";
import { expertName, LANGUAGES } from "../../../ml/languages";
import { type LabRouterReport, NONE } from "../../../ml/router";
import type { AddLanguageResult } from "../../../workers/train-types";
import { fetchCorpus } from "../../corpora";
import { numberFormat, translate } from "../../i18n";
import type { TextKey } from "../../i18n/catalogues";
import { whyOf } from "../../i18n/problems";
import type { Settings } from "../../settings";
import type { ModelWorker, TrainWorker } from "../../worker-client";
import { phaseLabel } from "../forgetting/forgetting";

/** The bundled languages the teacher never saw. */
export const ADDABLE_LANGUAGES = {
  es: "language.spanish",
  it: "language.italian",
} as const satisfies Record<string, TextKey>;

export interface Fingerprint {
  name: string;
  perplexity: number;
  sha256: string;
}

export interface AddLanguageRun {
  state: "idle" | "running" | "done" | "failed" | "stopped";
  /** What happens now, and the training steps done of all. */
  step: string;
  /** Stop was asked for: the run ends at the next step. */
  stopping?: boolean;
  done: number;
  total: number;
  startedAt?: number;
  language?: { id: string; name: string };
  distil?: boolean;
  router?: LabRouterReport;
  /** The shipped experts before and after. */
  before?: Fingerprint[];
  after?: Fingerprint[];
  result?: Omit<AddLanguageResult, "expertFiles">;
  message?: string;
}

/** What is kept in IndexedDB of an added language, to bring it back on the next visit. */
interface KeptLanguage {
  run: AddLanguageRun;
  router: unknown;
  expertFiles: { name: string; bytes: Uint8Array }[];
}

const KEPT = "mome-added-language";

export interface AddLanguageSlice {
  addLanguageRun: AddLanguageRun;
  /** The language added (this visit or an earlier one), routed to its expert. */
  addedLanguage: { id: string; name: string } | null;
  /** Adds the chosen bundled language: a router class, a new expert, and a fine-tuned contrast. */
  addLanguage(): Promise<void>;
  /** Stops the run before it changes anything: the router and the experts stay as they were. */
  stopAddLanguage(): void;
  /** Brings back the language added on an earlier visit (kept in IndexedDB), if any. */
  restoreAddedLanguage(): Promise<void>;
  /** Forgets the added language: the shipped router routes again. */
  removeAddedLanguage(): Promise<void>;
}

interface Host {
  settings: Settings;
  /** The backend training runs start on (the link's, else the fastest measured here). */
  trainingBackend(): BackendName | undefined;
  /** The router worker follows the model worker's active router, and routes the text again. */
  activeRouterChanged(): Promise<void>;
  customText: { name: string; text: string } | null;
  customTextError: string | null;
}

/** A class id for a language named by the user ("Português" → "portugues"), or why not. */
export function languageId(name: string): { id: string } | { problem: string } {
  const id = name
    .normalize("NFD")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 16);
  if (!/^[a-z][a-z0-9]*$/.test(id)) return { problem: translate("add.badName") };
  if ([...LANGUAGES, NONE].includes(id as never))
    return { problem: translate("add.taken", { name }) };
  return { id };
}

export const createAddLanguageSlice =
  (
    workers: { models: ModelWorker; training: TrainWorker },
    urls: { models: string; corpus: (language: string) => string },
  ): StateCreator<AddLanguageSlice & Host, [], [], AddLanguageSlice> =>
  (set, get) => {
    const update = (change: Partial<AddLanguageRun>) =>
      set({ addLanguageRun: { ...get().addLanguageRun, ...change } });
    /** Set by Stop; the run checks it before each step and before it installs anything. */
    let stopping = false;
    const unlessStopped = () => {
      if (stopping) throw new AddingStopped();
    };
    return {
      addLanguageRun: { state: "idle", step: "", done: 0, total: 0 },
      addedLanguage: null,

      async restoreAddedLanguage() {
        if (typeof indexedDB === "undefined") return; // nothing can have been kept
        try {
          const kept = await idbGet<KeptLanguage>(KEPT);
          if (!kept?.run.language) return;
          const { language } = kept.run;
          await workers.models.call((w) =>
            w.restoreAddedLanguage(kept.router, expertName(language.id), kept.expertFiles),
          );
          set({ addedLanguage: language, addLanguageRun: kept.run });
          await get().activeRouterChanged();
        } catch (e) {
          // A kept language that no longer loads is dropped, with a word why.
          await idbDel(KEPT).catch(() => undefined);
          update({
            state: "failed",
            message: translate("add.notRestored", { why: whyOf(e) }),
          });
        }
      },

      async removeAddedLanguage() {
        await idbDel(KEPT);
        await workers.models.call((w) => w.setActiveRouter("shipped"));
        set({
          addedLanguage: null,
          addLanguageRun: { state: "idle", step: "", done: 0, total: 0 },
        });
        await get().activeRouterChanged();
      },

      stopAddLanguage() {
        if (get().addLanguageRun.state !== "running") return;
        stopping = true;
        update({ step: translate("add.stopping"), stopping: true });
        void workers.models.call((w) => w.stopRouterFit()).catch(() => undefined);
        void workers.training.call((w) => w.stop()).catch(() => undefined);
      },

      async addLanguage() {
        if (get().addLanguageRun.state === "running") return;
        stopping = false;
        const s = get().settings;
        let language: { id: string; name: string };
        let ownText: string | null = null;
        if (s.add === "custom") {
          const named = languageId(s.addName.trim());
          const custom = get().customText;
          const problem =
            "problem" in named
              ? named.problem
              : !custom || get().customTextError
                ? translate("add.noText")
                : null;
          if (problem) {
            set({
              addLanguageRun: { state: "failed", step: "", done: 0, total: 0, message: problem },
            });
            return;
          }
          language = { id: (named as { id: string }).id, name: s.addName.trim() };
          ownText = custom?.text ?? "";
        } else language = { id: s.add, name: translate(ADDABLE_LANGUAGES[s.add]) };
        const id = language.id;
        const distil = s.addDistil === "on";
        set({
          addLanguageRun: {
            state: "running",
            step: translate("add.loadingCorpora"),
            done: 0,
            total: 2 * s.addSteps,
            startedAt: Date.now(),
            language,
            distil,
          },
        });
        try {
          const texts: { label: string; text: string }[] = [];
          for (const label of [...LANGUAGES, NONE, ...(ownText === null ? [id] : [])]) {
            texts.push({ label, text: await fetchCorpus(urls.corpus(label), label) });
          }
          if (ownText !== null) texts.push({ label: id, text: ownText });
          const heldOut = Object.fromEntries(
            texts
              .filter((t) => LANGUAGES.includes(t.label as never))
              .map((t) => [t.label, heldOutPart(t.text)]),
          );
          update({ step: translate("add.scoringBefore") });
          const before = await workers.models.call((w) =>
            w.expertFingerprints(urls.models, heldOut),
          );
          unlessStopped();
          update({ before, step: translate("add.refitting") });
          const onRouter = Comlink.proxy((done: number) =>
            update({
              step: translate("add.refittingShare", {
                share: numberFormat(i18next.language).percent(done, 0),
              }),
            }),
          );
          const router = await workers.models.call((w) =>
            w.addRouterClass({ language, texts, seed: s.seed }, onRouter),
          );
          unlessStopped();
          update({
            router,
            step: distil ? translate("add.loadingTeacher") : translate("add.preparing"),
          });
          const backend = get().trainingBackend();
          await workers.training.startup(translate("startup.teacher"), (w) =>
            w.prepare(urls.models, distil, backend),
          );
          unlessStopped();
          let latest = { done: 0, step: "" };
          const timer = setInterval(() => update(latest), 200);
          let result: AddLanguageResult;
          try {
            const onProgress = Comlink.proxy((done: number, _total: number, label: string) => {
              latest = { done, step: phaseLabel(label) };
            });
            const newText = texts.find((t) => t.label === id)?.text ?? "";
            result = await workers.training.call((w) =>
              w.addLanguage(
                {
                  modelsUrl: urls.models,
                  language: id,
                  text: newText,
                  heldOut,
                  distil,
                  steps: s.addSteps,
                  seed: s.seed,
                },
                onProgress,
              ),
            );
          } finally {
            clearInterval(timer);
          }
          // Stopped while training: the half-trained expert is dropped, nothing was installed.
          unlessStopped();
          update({ done: 2 * s.addSteps, step: translate("add.loadingExpert") });
          const { expertFiles, ...numbers } = result;
          await workers.models.call((w) => w.loadModelFromFiles(expertName(id), expertFiles));
          await workers.models.call((w) => w.useAddedRouter());
          update({ step: translate("add.scoringAfter") });
          const after = await workers.models.call((w) =>
            w.expertFingerprints(urls.models, heldOut),
          );
          update({ state: "done", step: "", after, result: numbers });
          set({ addedLanguage: language });
          await get().activeRouterChanged();
          const routerFile = await workers.models.call((w) => w.addedRouter());
          await idbSet(KEPT, {
            run: get().addLanguageRun,
            router: routerFile,
            expertFiles,
          } satisfies KeptLanguage);
        } catch (e) {
          if (stopping)
            update({
              state: "stopped",
              step: "",
              message: translate("add.stopped"),
            });
          else update({ state: "failed", message: whyOf(e) });
        } finally {
          stopping = false;
        }
      },
    };
  };

/** Thrown inside addLanguage once Stop was pressed. */
class AddingStopped extends Error {}
