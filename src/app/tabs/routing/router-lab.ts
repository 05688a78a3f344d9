/** The Router lab's state and actions: a slice of the app store (UI → store → model worker). */
import * as Comlink from "comlink";
import type { StateCreator } from "zustand";
import { LANGUAGES } from "../../../ml/languages";
import { type LabRouterReport, NONE } from "../../../ml/router";
import { fetchCorpus } from "../../corpora";
import { translate } from "../../i18n";
import { whyOf } from "../../i18n/problems";
import type { Settings } from "../../settings";
import type { ModelWorker } from "../../worker-client";

export interface RouterLab {
  state: "idle" | "training" | "done" | "failed";
  /** Share of the fit done (0–1). */
  progress: number;
  report?: LabRouterReport;
  /** What the report is of: the classifier and the features. */
  trained?: { kind: Settings["routerKind"]; features: Settings["routerFeatures"] };
  /** The lab's router routes instead of the shipped one (this visit only). */
  inUse: boolean;
  message?: string;
}

export interface RouterLabSlice {
  routerLab: RouterLab;
  /** Fits a router on the bundled corpora with the lab's settings, and scores it. */
  trainLabRouter(): Promise<void>;
  /** Stops the fit: the lab's router and its report stay as they were. */
  stopLabRouter(): void;
  /** Routes with the lab's router (true) or the shipped one (false), then re-routes the text. */
  routeWithLabRouter(use: boolean): Promise<void>;
}

interface Host {
  settings: Settings;
  /** The router worker follows the model worker's active router, and routes the text again. */
  activeRouterChanged(): Promise<void>;
}

export const createRouterLabSlice =
  (
    worker: ModelWorker,
    urls: { corpus: (language: string) => string },
  ): StateCreator<RouterLabSlice & Host, [], [], RouterLabSlice> =>
  (set, get) => {
    const update = (change: Partial<RouterLab>) =>
      set({ routerLab: { ...get().routerLab, ...change } });
    /** The lab before the fit that runs now: Stop brings it back. */
    let before: RouterLab | null = null;
    return {
      routerLab: { state: "idle", progress: 0, inUse: false },

      async trainLabRouter() {
        if (get().routerLab.state === "training") return;
        const { routerKind: kind, routerFeatures: features, seed } = get().settings;
        const lab = get().routerLab;
        before = lab;
        update({ state: "training", progress: 0, message: undefined });
        try {
          // The paper's features route among the four; the default ones add "none of these".
          const labels = features === "tokens" ? [...LANGUAGES] : [...LANGUAGES, NONE];
          const texts: { label: string; text: string }[] = [];
          for (const label of labels) {
            texts.push({ label, text: await fetchCorpus(urls.corpus(label), label) });
          }
          if (before !== lab) return; // stopped while the corpora loaded
          const onProgress = Comlink.proxy((done: number) => update({ progress: done }));
          const report = await worker.call((w) =>
            w.trainLabRouter({ kind, features, texts, seed }, onProgress),
          );
          if (before !== lab) return; // stopped as the fit ended
          // A new router replaces the one in use, if the lab's was.
          update({ state: "done", progress: 1, report, trained: { kind, features } });
          if (get().routerLab.inUse) await get().routeWithLabRouter(true);
        } catch (e) {
          if (before === lab) update({ state: "failed", message: whyOf(e) });
        } finally {
          if (before === lab) before = null;
        }
      },

      stopLabRouter() {
        if (!before || get().routerLab.state !== "training") return;
        set({
          routerLab: {
            ...before,
            message: translate("lab.stopped"),
          },
        });
        before = null;
        void worker.call((w) => w.stopRouterFit()).catch(() => undefined);
      },

      async routeWithLabRouter(use) {
        try {
          await worker.call((w) => w.setActiveRouter(use ? "lab" : "shipped"));
          update({ inUse: use });
          await get().activeRouterChanged();
        } catch (e) {
          update({ message: whyOf(e) });
        }
      },
    };
  };
