/** Teacher vs student generation: a slice of the app store (UI → store → model worker). */

import * as Comlink from "comlink";
import type { StateCreator } from "zustand";
import { expertName } from "../../../ml/languages";
import type {
  CompareProgress,
  CompareRequest,
  GenerationResult,
  GenerationUpdate,
  RoutedTo,
} from "../../../workers/model-types";
import { translate } from "../../i18n";
import { whyOf } from "../../i18n/problems";
import type { Settings } from "../../settings";
import type { ModelWorker } from "../../worker-client";
import { TRAINED_STUDENT } from "../train/runs";

export interface Side {
  name: string;
  /** For a routed student: the language the router chose for the prompt. */
  routedTo?: RoutedTo;
  parameters?: number;
  update?: GenerationUpdate;
}

export interface CompareSlice {
  compare: {
    state: "idle" | "loading" | "generating" | "done" | "cancelled" | "error";
    /** How many generations were started (shown, so a repeated run is seen to finish). */
    run: number;
    message?: string;
    /** While loading: bytes of the two models fetched so far, and in all. */
    loading?: { loaded: number; total: number };
    teacher?: Side;
    student?: Side;
    result?: GenerationResult;
  };
  generate(): Promise<void>;
  stopGeneration(): void;
}

interface Host {
  settings: Settings;
  sentStudent: { parameters: number; source: string } | null;
  addedLanguage: { id: string; name: string } | null;
}

export function createCompareSlice(
  worker: ModelWorker,
  modelsUrl: string,
): StateCreator<CompareSlice & Host, [], [], CompareSlice> {
  return (set, get) => ({
    compare: { state: "idle", run: 0 },

    async generate() {
      const { compare, settings: s } = get();
      if (compare.state === "loading" || compare.state === "generating") return;
      const run = compare.run + 1;
      set({ compare: { state: "loading", run } });
      try {
        if (s.expert === "mine" && !get().sentStudent) {
          throw new Error(
            "train a student first (Train a student → Use in Teacher vs student), or load one you downloaded",
          );
        }
        const added = get().addedLanguage;
        if (s.expert === "added" && !added) throw new Error(translate("compare.addFirst"));
        // A student trained here, or an added language's expert, is already loaded in the model
        // worker under its own name.
        const student =
          s.expert === "routed"
            ? "routed"
            : s.expert === "mine"
              ? TRAINED_STUDENT
              : s.expert === "added"
                ? expertName(String(added?.id))
                : expertName(s.expert);
        const request: CompareRequest = {
          modelsUrl,
          prompt: s.prompt,
          student,
          temperature: s.temperature,
          topK: s.topK,
          topP: 1,
          seed: s.seed,
          maxTokens: s.maxTokens,
        };
        // Token updates arrive per token; they are applied at most every 100 ms.
        const latest = new Map<string, GenerationUpdate>();
        const flush = () => {
          const c = get().compare;
          const withUpdate = (side?: Side) => {
            const update = side && latest.get(side.name);
            return side && update ? { ...side, update } : side;
          };
          set({
            compare: { ...c, teacher: withUpdate(c.teacher), student: withUpdate(c.student) },
          });
        };
        const onProgress = Comlink.proxy((p: CompareProgress) => {
          const c = get().compare;
          if (p.kind === "token") latest.set(p.update.model, p.update);
          else if (p.kind === "student")
            set({
              compare: {
                ...c,
                teacher: { name: "teacher" },
                student: { name: p.student, routedTo: p.routedTo },
              },
            });
          else if (p.kind === "loading")
            set({ compare: { ...c, loading: { loaded: p.loadedBytes, total: p.totalBytes } } });
          else
            set({
              compare: {
                ...c,
                state: "generating",
                teacher: { name: "teacher", parameters: p.teacherParameters },
                student: c.student && { ...c.student, parameters: p.studentParameters },
              },
            });
        });
        const timer = setInterval(flush, 100);
        try {
          const result = await worker.call((w) => w.compare(request, onProgress));
          flush();
          set({ compare: { ...get().compare, state: "done", result } });
        } finally {
          clearInterval(timer);
        }
      } catch (e) {
        const cancelled = (e as Error).name === "CancelledError";
        set({
          compare: {
            ...get().compare,
            state: cancelled ? "cancelled" : "error",
            message: whyOf(e),
          },
        });
      }
    },

    stopGeneration() {
      // While loading, Stop cancels the download (a stalled one would otherwise hold the panel).
      const { state } = get().compare;
      if (state === "generating" || state === "loading") void worker.api.stopGeneration();
    },
  });
}
