/** The app's single store: UI → store → worker API. The UI never touches tensors. */
import { create } from "zustand";
import { type BackendChoice, describeBackendChoice, isBackendName } from "../ml/backend-names";
import type { Artifact } from "../ml/manifest";
import { startModelWorker } from "./worker-client";

type Status<T> =
  | { state: "idle" | "loading" }
  | { state: "ready"; value: T }
  | { state: "error"; message: string };

interface AppState {
  backend: Status<BackendChoice & { description: string }>;
  artifacts: Status<Artifact[]>;
  start(): Promise<void>;
}

const worker = startModelWorker();
// A handle for the browser console and automated tests: `await momeLab.worker.logits(...)`.
(globalThis as { momeLab?: unknown }).momeLab = { worker };
/** Models live next to index.html, so the site works from any sub-path. */
const MODELS_URL = new URL("models/", document.baseURI).href;

export const useAppStore = create<AppState>((set) => ({
  backend: { state: "idle" },
  artifacts: { state: "idle" },
  async start() {
    set({ backend: { state: "loading" }, artifacts: { state: "loading" } });
    const forced = new URLSearchParams(location.search).get("backend");
    try {
      const choice = await worker.init(isBackendName(forced) ? forced : undefined);
      set({
        backend: {
          state: "ready",
          value: { ...choice, description: describeBackendChoice(choice) },
        },
      });
    } catch (e) {
      set({ backend: { state: "error", message: (e as Error).message } });
    }
    try {
      const manifest = await worker.manifest(MODELS_URL);
      set({ artifacts: { state: "ready", value: manifest.artifacts } });
    } catch (e) {
      set({ artifacts: { state: "error", message: (e as Error).message } });
    }
  },
}));
