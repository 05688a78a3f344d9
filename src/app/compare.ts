/** Teacher vs student generation: a slice of the app store (UI → store → model worker). */
import * as Comlink from "comlink";
import type { StateCreator } from "zustand";
import type { Language } from "../ml/router";
import type { GenerationResult, GenerationUpdate } from "../workers/model.worker";
import type { Settings } from "./settings";
import { TRAINED_STUDENT } from "./training";
import type { ModelWorker } from "./worker-client";

export interface Side {
  name: string;
  /** For a routed student: the language the router chose for the prompt. */
  routedTo?: Language;
  parameters?: number;
  update?: GenerationUpdate;
}

export interface CompareSlice {
  compare: {
    state: "idle" | "loading" | "generating" | "done" | "error";
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
        let expert: string = s.expert;
        let routedTo: Language | undefined;
        if (expert === "routed") {
          routedTo = s.prompt.trim()
            ? (await worker.call((w) => w.route(s.prompt))).label
            : undefined;
          expert = routedTo ?? "common";
        }
        if (expert === "mine" && !get().sentStudent) {
          throw new Error(
            "train a student first (Train a student → Use in Teacher vs student), or load one you downloaded",
          );
        }
        // A student trained here is already loaded in the model worker under its own name.
        const studentName = expert === "mine" ? TRAINED_STUDENT : `expert-${expert}`;
        set({
          compare: {
            state: "loading",
            run,
            teacher: { name: "teacher" },
            student: { name: studentName, routedTo },
          },
        });
        const progress = new Map<string, { loaded: number; total: number }>();
        const onProgress = (model: string) =>
          Comlink.proxy((loaded: number, total: number) => {
            progress.set(model, { loaded, total });
            const sum = [...progress.values()].reduce(
              (a, p) => ({ loaded: a.loaded + p.loaded, total: a.total + p.total }),
              { loaded: 0, total: 0 },
            );
            set({ compare: { ...get().compare, loading: sum } });
          });
        const [teacher, student] = await Promise.all([
          worker.call((w) => w.loadModel(modelsUrl, "teacher", onProgress("teacher"))),
          worker.call((w) => w.loadModel(modelsUrl, studentName, onProgress(studentName))),
        ]);
        set({
          compare: {
            state: "generating",
            run,
            teacher: { name: "teacher", parameters: teacher.parameters },
            student: { name: studentName, routedTo, parameters: student.parameters },
          },
        });
        const request = {
          prompt: s.prompt,
          models: ["teacher", studentName],
          temperature: s.temperature,
          topK: s.topK,
          topP: 1,
          seed: s.seed,
          maxTokens: s.maxTokens,
        };
        // Updates arrive per token; they are applied at most every 100 ms.
        const latest = new Map<string, GenerationUpdate>();
        const flush = () => {
          const c = get().compare;
          const teacherUpdate = latest.get("teacher");
          const studentUpdate = latest.get(studentName);
          set({
            compare: {
              ...c,
              teacher:
                c.teacher && teacherUpdate ? { ...c.teacher, update: teacherUpdate } : c.teacher,
              student:
                c.student && studentUpdate ? { ...c.student, update: studentUpdate } : c.student,
            },
          });
        };
        const timer = setInterval(flush, 100);
        try {
          const onToken = Comlink.proxy((u: GenerationUpdate) => void latest.set(u.model, u));
          const result = await worker.call((w) => w.generate(request, onToken));
          flush();
          set({ compare: { ...get().compare, state: "done", result } });
        } finally {
          clearInterval(timer);
        }
      } catch (e) {
        set({ compare: { ...get().compare, state: "error", message: (e as Error).message } });
      }
    },

    stopGeneration() {
      if (get().compare.state === "generating") void worker.api.stopGeneration();
    },
  });
}
