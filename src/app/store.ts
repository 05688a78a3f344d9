/** The app's single store: UI → store → worker API. The UI never touches tensors. */
import { create } from "zustand";
import { type BackendChoice, describeBackendChoice, isBackendName } from "../ml/backend-names";
import type { Artifact } from "../ml/manifest";
import type { RouteResult } from "../workers/model.worker";
import { type CompareSlice, createCompareSlice } from "./compare";
import { cacheForOffline, offlineSupported } from "./offline";
import { corpusUrl, MODELS_URL } from "./paths";
import {
  parseSettings,
  SETTINGS,
  type SettingKey,
  type Settings,
  serializeSettings,
} from "./settings";
import { createTrainingSlice, type TrainingSlice, trainWorker } from "./training";
import { startModelWorker } from "./worker-client";

export type Status<T> =
  | { state: "idle" | "loading" }
  | { state: "ready"; value: T }
  | { state: "error"; message: string };

interface AppState {
  settings: Settings;
  /** What was wrong with the link the page was opened with (shown once, as a notice). */
  linkProblems: string[];
  /** Set when a worker crashed or lost its GPU and was restarted. */
  workerNotice: string | null;
  backend: Status<BackendChoice & { description: string; forced: boolean }>;
  artifacts: Status<Artifact[]>;
  routing: Status<RouteResult>;
  /** Keeping every model and corpus for offline use (in the background, after the first load). */
  offline: Status<{ files: number }>;
  setSetting<K extends SettingKey>(key: K, value: Settings[K]): void;
  dismissLinkProblems(): void;
  start(): Promise<void>;
  route(text: string): void;
}

const worker = startModelWorker((reason) => {
  // Everything the user has (text, settings, runs) is in the store: reload the models and go on.
  const { compare } = useAppStore.getState();
  if (compare.state === "loading" || compare.state === "generating") {
    useAppStore.setState({
      compare: { ...compare, state: "error", message: `${reason}; please generate again` },
    });
  }
  useAppStore.setState({
    workerNotice: `${reason}. It was restarted; your text and settings are kept.`,
  });
  started = false;
  void useAppStore.getState().start();
});
// Handles for the browser console and automated tests: `await momeLab.models.api.logits(...)`.
(globalThis as { momeLab?: unknown }).momeLab = { models: worker, training: trainWorker };
const initial = parseSettings(location.search);

/** The app's files, every shipped model file and the bundled corpora, kept by the service worker. */
async function keepForOffline(artifacts: Artifact[]): Promise<void> {
  if (!offlineSupported()) return;
  useAppStore.setState({ offline: { state: "loading" } });
  try {
    // The build lists its own files (vite.config.ts), workers and wasm binaries included.
    const listing = await fetch(new URL("app-files.json", document.baseURI));
    if (!listing.ok) throw new Error(`app-files.json: HTTP ${listing.status}`);
    const appFiles = (await listing.json()) as string[];
    const urls = [
      new URL("./", document.baseURI).href,
      listing.url,
      ...appFiles.map((f) => new URL(f, document.baseURI).href),
      new URL("manifest.json", MODELS_URL).href,
      ...artifacts.flatMap((a) => a.files.map((f) => new URL(f.path, MODELS_URL).href)),
      ...(["en", "fr", "de", "py"] as const).map(corpusUrl),
    ];
    const files = await cacheForOffline(urls);
    useAppStore.setState({ offline: { state: "ready", value: { files } } });
  } catch (e) {
    useAppStore.setState({ offline: { state: "error", message: (e as Error).message } });
  }
}

let routeTimer: ReturnType<typeof setTimeout> | undefined;
let routeRequest = 0;
let started = false;

export const useAppStore = create<AppState & TrainingSlice & CompareSlice>()((set, get, store) => ({
  ...createTrainingSlice(worker)(set, get, store),
  ...createCompareSlice(worker, MODELS_URL)(set, get, store),
  settings: initial.settings,
  linkProblems: initial.problems,
  workerNotice: null,
  backend: { state: "idle" },
  artifacts: { state: "idle" },
  routing: { state: "idle" },
  offline: { state: "idle" },

  setSetting(key, value) {
    const settings = { ...get().settings, [key]: value };
    set({ settings });
    history.replaceState(
      null,
      "",
      `${location.pathname}${serializeSettings(settings)}${location.hash}`,
    );
  },

  dismissLinkProblems() {
    set({ linkProblems: [] });
  },

  async start() {
    if (started) return; // React StrictMode mounts twice in development
    started = true;
    set({
      backend: { state: "loading" },
      artifacts: { state: "loading" },
      routing: { state: "loading" },
    });
    const forced = get().settings.backend;
    const backendStart = worker
      .call((w) => w.init(isBackendName(forced) ? forced : undefined))
      .then((choice) =>
        set({
          backend: {
            state: "ready",
            value: {
              ...choice,
              description: describeBackendChoice(choice),
              forced: forced !== "auto",
            },
          },
        }),
      )
      .catch((e: Error) => set({ backend: { state: "error", message: e.message } }));
    const manifest = worker
      .call((w) => w.manifest(MODELS_URL))
      .then((m) => {
        set({ artifacts: { state: "ready", value: m.artifacts } });
        void keepForOffline(m.artifacts);
      })
      .catch((e: Error) => set({ artifacts: { state: "error", message: e.message } }));
    const routing = worker
      .call((w) => w.loadRouting(MODELS_URL))
      .then(() => {
        set({ routing: { state: "idle" } });
        get().route(get().settings.text);
      })
      .catch((e: Error) =>
        set({ routing: { state: "error", message: `the router could not load: ${e.message}` } }),
      );
    await Promise.all([backendStart, manifest, routing]);
  },

  /** Routes `text` after a short pause in typing; only the latest request's answer is kept. */
  route(full) {
    // The text lives in the link, so it is capped there; what is shown is what is routed.
    const text = full.slice(0, SETTINGS.text.maxLength);
    get().setSetting("text", text);
    clearTimeout(routeTimer);
    routeTimer = setTimeout(async () => {
      const request = ++routeRequest;
      if (text.trim() === "") {
        set({ routing: { state: "idle" } });
        return;
      }
      try {
        const value = await worker.call((w) => w.route(text));
        if (request === routeRequest) set({ routing: { state: "ready", value } });
      } catch (e) {
        if (request === routeRequest)
          set({ routing: { state: "error", message: (e as Error).message } });
      }
    }, 120);
  },
}));
