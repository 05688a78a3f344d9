/**
 * The app's single store: UI → store → worker API. The UI never touches tensors. main.tsx creates
 * it with its workers (createAppStore); components read it with useAppStore.
 */
import * as Comlink from "comlink";
import { createContext, useContext } from "react";
import { createStore, type StoreApi, useStore } from "zustand";
import {
  type BackendChoice,
  type BackendName,
  describeBackendChoice,
  isBackendName,
  type MeasuredBackends,
} from "../ml/backend-names";
import type { Artifact } from "../ml/manifest";
import { NONE } from "../ml/router/classes";
import type { ComputerCheck } from "../workers/bench-types";
import type { RouteResult } from "../workers/router-types";
import { ADDABLE_LANGUAGES, type AddLanguageSlice, createAddLanguageSlice } from "./add-language";
import { showInAddressBar, textsKeptOutOfAddress } from "./address-bar";
import { gpuFingerprint, keepMeasurement, keptMeasurement } from "./backend-choice";
import { isLocked, parseControls } from "./class-links";
import { type CompareSlice, createCompareSlice } from "./compare";
import { createForgettingSlice, EXPERIMENTS_PATH, type ForgettingSlice } from "./forgetting";
import { LANGUAGES } from "./languages";
import { createLessonSlice, LESSON, type LessonSlice } from "./lessons";
import { cacheForOffline, offlineSupported } from "./offline";
import { decodeLanes, encodeLanes } from "./race";
import { createRecordedSlice, RECORDED_PATH, type RecordedSlice } from "./recorded";
import { createRouterLabSlice, type RouterLabSlice } from "./router-lab";
import {
  firstChars,
  type LongTextKey,
  linkParams,
  linkSize,
  parseSettings,
  SETTINGS,
  type SettingKey,
  type Settings,
} from "./settings";
import { createTrainingSlice, type TrainingSlice } from "./training";
import type { BenchWorker, ModelWorker, RouterWorker, TrainWorker } from "./worker-client";

export type Status<T> =
  | { state: "idle" | "loading" }
  | { state: "ready"; value: T }
  | { state: "error"; message: string };

interface AppCore {
  settings: Settings;
  /** What was wrong with the link the page was opened with (shown once, as a notice). */
  linkProblems: string[];
  /** Texts too long for the address bar: kept in this tab, left out of the address and links. */
  linkLeavesOut: LongTextKey[];
  /** Set when a worker crashed or lost its GPU and was restarted. */
  workerNotice: string | null;
  backend: Status<BackendChoice & { description: string; forced: boolean }> & {
    /** While loading: the backends' speeds are being measured (a first visit). */
    measuring?: boolean;
  };
  /** The first visit's measurement (kept in this browser): the fastest backend for each kind of work. */
  measured: MeasuredBackends | null;
  /** The backend training runs start on: the link's, else the fastest measured (undefined: the rule's). */
  trainingBackend(): BackendName | undefined;
  artifacts: Status<Artifact[]>;
  routing: Status<RouteResult>;
  /** Keeping every model and corpus for offline use (in the background, after the first load). */
  offline: Status<{ files: number }>;
  setSetting<K extends SettingKey>(key: K, value: Settings[K]): void;
  dismissLinkProblems(): void;
  dismissWorkerNotice(): void;
  start(): Promise<void>;
  route(text: string, pauseMs?: number): void;
  /** Loads the router again after it failed to load. */
  retryRouting(): Promise<void>;
  /** Starts the model worker afresh after a start-up step gave up (the backend line's Retry). */
  retryStart(): void;
  /** The Router lab or Add a language changed the router that routes: the router worker follows. */
  activeRouterChanged(): Promise<void>;
  /** The router worker crashed and was restarted: load the routers again. */
  routerWorkerRestarted(reason: string): void;
  /** The model worker crashed or lost its GPU and was restarted: reload what it held. */
  modelWorkerRestarted(reason: string): void;
  /** "Check this computer": each backend's speed, measured in a worker of its own. */
  computerCheck: Status<ComputerCheck> & { step?: string };
  checkComputer(): Promise<void>;
}

export type AppState = AppCore &
  AddLanguageSlice &
  TrainingSlice &
  CompareSlice &
  ForgettingSlice &
  LessonSlice &
  RecordedSlice &
  RouterLabSlice;
export type AppStore = StoreApi<AppState>;

/**
 * How long a start-up step that downloads little (TensorFlow.js, the router, the manifest) may
 * take before the page says what it waited for and offers Retry. Model downloads are cut only
 * when they stall (src/ml/fetch.ts), as a slow connection may need longer.
 */
const STARTUP_LIMIT_MS = 60_000;

/** Routing waits for this pause in typing (the first decision, for the text a page opens with, does not). */
const TYPING_PAUSE_MS = 120;
/** How long the model worker waits for the router to load before it starts anyway. */
const ROUTER_HEAD_START_MS = 1_500;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A performance mark at the page's first routing decision (`npm run bench -- --browser` reads it). */
export const FIRST_DECISION_MARK = "mome-lab:first-routing-decision";

/** Where the site's files are (relative to index.html, so any sub-path works). */
export interface SiteUrls {
  models: string;
  corpus: (language: string) => string;
  /** The page's base URL, for app-files.json and the page itself. */
  base: string;
}

/** The app's files, every shipped model file and the bundled corpora, for the service worker to keep. */
/** Every bundled corpus: the four languages, "none of these" text, and the languages to add. */
const BUNDLED_CORPORA = [...LANGUAGES, NONE, ...Object.keys(ADDABLE_LANGUAGES)];

async function offlineFiles(urls: SiteUrls, artifacts: Artifact[]): Promise<string[]> {
  // The build lists its own files (vite.config.ts), workers and wasm binaries included.
  const listing = await fetch(new URL("app-files.json", urls.base));
  if (!listing.ok) throw new Error(`app-files.json: HTTP ${listing.status}`);
  const appFiles = (await listing.json()) as string[];
  return [
    new URL("./", urls.base).href,
    listing.url,
    ...appFiles.map((f) => new URL(f, urls.base).href),
    new URL("manifest.json", urls.models).href,
    ...artifacts.flatMap((a) => a.files.map((f) => new URL(f.path, urls.models).href)),
    ...BUNDLED_CORPORA.map(urls.corpus),
    new URL(EXPERIMENTS_PATH, urls.base).href,
    new URL(RECORDED_PATH, urls.base).href,
  ];
}

/** The store, with the workers it talks to and the page's query string. */
export function createAppStore(
  workers: {
    /** Routes as the user types; loads no TensorFlow.js. */
    router: RouterWorker;
    models: ModelWorker;
    training: TrainWorker;
    /** Started on first use: the speed check is rare. */
    bench: () => BenchWorker;
  },
  urls: SiteUrls,
  search: string,
): AppStore {
  const worker = workers.models;
  const initial = parseSettings(search);
  // A text this tab kept out of the address (too long for it) comes back on reload.
  const kept = textsKeptOutOfAddress();
  Object.assign(initial.settings, kept);
  // Race lanes are one text setting: each lane's values are checked like any other setting.
  const race = decodeLanes(initial.settings.race);
  initial.settings.race = encodeLanes(race.lanes);
  // A link that asks for a language to add (add=es) opens the tab that builds it.
  const query = linkParams(search).params;
  if (query.has("add") && !query.has("panel")) initial.settings.panel = "add";
  // A link to a lesson step sets the app up for it (what the link itself sets wins).
  const step = initial.settings.lesson > 0 ? LESSON[initial.settings.lesson - 1] : null;
  for (const [key, value] of Object.entries(step?.settings ?? {}))
    if (!query.has(key)) (initial.settings as Record<string, unknown>)[key] = value;
  initial.problems.push(...race.problems);
  for (const setting of ["lock", "hide"] as const) {
    const { controls, problems } = parseControls(initial.settings[setting], setting);
    initial.settings[setting] = controls.join(",");
    initial.problems.push(...problems);
  }
  // An address already too long (an old link) is shortened at once: the texts stay on the page.
  const linkLeavesOut = linkSize(location.href ?? "").tooLong
    ? showInAddressBar(initial.settings)
    : (Object.keys(kept) as LongTextKey[]);
  let routeTimer: ReturnType<typeof setTimeout> | undefined;
  let routeRequest = 0;
  let started = false;
  let firstDecisionMarked = false;
  return createStore<AppState>()((set, get, store) => {
    /** Loads the tokenizer and router in the router worker (retried there on transient failures). */
    const loadRouting = () =>
      workers.router
        .startup("loading the router", (w) => w.loadRouting(urls.models), STARTUP_LIMIT_MS)
        .then(() => {
          set({ routing: { state: "idle" } });
          get().route(get().settings.text, 0);
        })
        .catch((e: Error) =>
          set({ routing: { state: "error", message: `the router could not load: ${e.message}` } }),
        );
    /**
     * Settles when start() has the backend it generates on (measured, kept or forced). "Check this
     * computer" waits for it: the two share the speed-check worker, and a long check queued ahead
     * of the measurement would look like a frozen worker to the start-up watch.
     */
    let backendDecided: () => void = () => {};
    const decided = new Promise<void>((resolve) => {
      backendDecided = resolve;
    });
    /**
     * The backend generation starts on: the fastest this browser measured on this GPU and app
     * version, measured now on a first visit (undefined: the measurement failed, the rule picks).
     */
    const measureBackends = async (): Promise<BackendName | undefined> => {
      try {
        const gpu = await gpuFingerprint();
        let measured = keptMeasurement(gpu);
        if (!measured) {
          set({ backend: { state: "loading", measuring: true } });
          measured = await workers
            .bench()
            .startup("measuring the backends", (w) => w.measureBackends(), STARTUP_LIMIT_MS);
          keepMeasurement(gpu, measured);
          set({ backend: { state: "loading" } });
        }
        set({ measured });
        return measured.generation;
      } catch {
        set({ backend: { state: "loading" } });
        return undefined;
      }
    };
    return {
      ...createTrainingSlice(workers, urls)(set, get, store),
      ...createCompareSlice(worker, urls.models)(set, get, store),
      ...createForgettingSlice(workers.training, urls)(set, get, store),
      ...createRouterLabSlice(worker, urls)(set, get, store),
      ...createLessonSlice()(set, get, store),
      ...createRecordedSlice(urls.base)(set, get, store),
      ...createAddLanguageSlice({ models: worker, training: workers.training }, urls)(
        set,
        get,
        store,
      ),
      settings: initial.settings,
      linkProblems: initial.problems,
      linkLeavesOut,
      workerNotice: null,
      backend: { state: "idle" },
      artifacts: { state: "idle" },
      routing: { state: "idle" },
      offline: { state: "idle" },
      computerCheck: { state: "idle" },
      measured: null,

      trainingBackend() {
        const forced = get().settings.backend;
        return isBackendName(forced) ? forced : get().measured?.training;
      },

      async checkComputer() {
        if (get().computerCheck.state === "loading") return;
        set({ computerCheck: { state: "loading", step: "starting" } });
        await decided;
        const worker = workers.bench();
        try {
          const onProgress = Comlink.proxy((step: string) =>
            set({ computerCheck: { state: "loading", step } }),
          );
          const value = await worker.call((w) => w.checkComputer(onProgress));
          set({ computerCheck: { state: "ready", value } });
        } catch (e) {
          set({ computerCheck: { state: "error", message: (e as Error).message } });
        }
      },

      setSetting(key, value) {
        // A control the class link locks keeps the link's value, whatever asks to change it.
        if (isLocked(get().settings, key)) return;
        const settings = { ...get().settings, [key]: value };
        set({ settings, linkLeavesOut: showInAddressBar(settings) });
      },

      dismissLinkProblems() {
        set({ linkProblems: [] });
      },

      dismissWorkerNotice() {
        set({ workerNotice: null });
      },

      modelWorkerRestarted(reason) {
        // Everything the user has (text, settings, runs) is in the store: reload the models and go on.
        const { compare } = get();
        if (compare.state === "loading" || compare.state === "generating") {
          set({
            compare: { ...compare, state: "error", message: `${reason}; please generate again` },
          });
        }
        set({ workerNotice: `${reason}. It was restarted; your text and settings are kept.` });
        // The lab's router lived in the worker: the shipped one routes again (an added language
        // comes back with start(), which restores it).
        void workers.router.call((w) => w.useRouter(null)).catch(() => undefined);
        const lab = get().routerLab;
        set({
          routerLab: {
            ...lab,
            inUse: false,
            state: lab.state === "training" ? "failed" : lab.state,
            message: lab.state === "training" ? reason : lab.message,
          },
        });
        started = false;
        void get().start();
      },

      async start() {
        if (started) return; // React StrictMode mounts twice in development
        started = true;
        void get().restoreRuns();
        set({
          backend: { state: "loading" },
          artifacts: { state: "loading" },
          routing: { state: "loading" },
        });
        // The router first, alone: TensorFlow.js's start (a 2 MB worker script, WASM compiling)
        // would share the cores with it, and the first decision is what a visitor waits for.
        const routerLoad = loadRouting();
        await Promise.race([routerLoad, pause(ROUTER_HEAD_START_MS)]);
        const forced = get().settings.backend;
        const backendStart = (isBackendName(forced) ? Promise.resolve(forced) : measureBackends())
          .finally(backendDecided)
          .then((generation) =>
            worker.startup("starting TensorFlow.js", (w) => w.init(generation), STARTUP_LIMIT_MS),
          )
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
          .startup("reading the models' manifest", (w) => w.manifest(urls.models), STARTUP_LIMIT_MS)
          .then((m) => {
            set({ artifacts: { state: "ready", value: m.artifacts } });
            if (!offlineSupported()) return;
            set({ offline: { state: "loading" } });
            offlineFiles(urls, m.artifacts)
              .then(cacheForOffline)
              .then((files) => set({ offline: { state: "ready", value: { files } } }))
              .catch((e: Error) => set({ offline: { state: "error", message: e.message } }));
          })
          .catch((e: Error) => set({ artifacts: { state: "error", message: e.message } }));
        // The model worker reads the tokenizer too (generation routes the prompt, the Router lab
        // and Add a language fit routers): a failure there shows when they run.
        const modelRouting = worker
          .startup("loading the tokenizer", (w) => w.loadRouting(urls.models), STARTUP_LIMIT_MS)
          .catch(() => undefined);
        const routing = Promise.all([routerLoad, modelRouting]).then(
          () => void get().restoreAddedLanguage(),
        );
        await Promise.all([backendStart, manifest, routing]);
      },

      async activeRouterChanged() {
        try {
          const active = await worker.call((w) => w.activeRouter());
          await workers.router.call((w) => w.useRouter(active));
        } catch (e) {
          set({ routing: { state: "error", message: (e as Error).message } });
          return;
        }
        get().route(get().settings.text);
      },

      routerWorkerRestarted(reason) {
        set({
          workerNotice: `${reason}. It was restarted; your text and settings are kept.`,
          routing: { state: "loading" },
        });
        void loadRouting().then(() => get().activeRouterChanged());
      },

      retryStart() {
        worker.restart("Retry", false);
        started = false;
        void get().start();
      },

      async retryRouting() {
        if (get().routing.state !== "error") return;
        set({ routing: { state: "loading" } });
        await loadRouting();
      },

      /** Routes `text` after a short pause in typing; only the latest request's answer is kept. */
      route(full, pauseMs = TYPING_PAUSE_MS) {
        // The text lives in the link, so it is capped there; what is shown is what is routed.
        const text = firstChars(full, SETTINGS.text.maxLength);
        if (isLocked(get().settings, "text") && text !== get().settings.text) return;
        get().setSetting("text", text);
        clearTimeout(routeTimer);
        routeTimer = setTimeout(async () => {
          const request = ++routeRequest;
          if (text.trim() === "") {
            set({ routing: { state: "idle" } });
            return;
          }
          try {
            const value = await workers.router.call((w) => w.route(text));
            if (request === routeRequest) {
              set({ routing: { state: "ready", value } });
              if (!firstDecisionMarked) performance.mark(FIRST_DECISION_MARK);
              firstDecisionMarked = true;
            }
          } catch (e) {
            if (request === routeRequest)
              set({ routing: { state: "error", message: (e as Error).message } });
          }
        }, pauseMs);
      },
    };
  });
}

/** The store main.tsx created, for the components below it. */
export const StoreContext = createContext<AppStore | null>(null);

/** A selection from the store; the component re-renders when it changes. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error("useAppStore outside <StoreContext.Provider>");
  return useStore(store, selector);
}

/** The store itself, for event handlers that act on its latest state. */
export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error("useAppStoreApi outside <StoreContext.Provider>");
  return store;
}
