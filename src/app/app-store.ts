/**
 * The store's shape and the hooks that read it: what components import. The store itself is
 * made in store.ts (createAppStore), from the core and the tabs' slices (tabs/registry.ts).
 */
import { createContext, useContext } from "react";
import { type StoreApi, useStore } from "zustand";
import type { BackendChoice, BackendName, MeasuredBackends } from "../ml/backend-names";
import type { Artifact } from "../ml/manifest";
import type { CheckStep, ComputerCheck } from "../workers/bench-types";
import type { RouteResult } from "../workers/router-types";
import type { Message } from "./i18n/message";
import type { LessonSlice } from "./lessons";
import type { RecordedSlice } from "./recorded";
import type { LongTextKey, SettingKey, Settings } from "./settings";
import type { BenchWorker, ModelWorker, RouterWorker, TrainWorker } from "./worker-client";

export type Status<T> =
  | { state: "idle" | "loading" }
  | { state: "ready"; value: T }
  | { state: "error"; message: string };

interface AppCore {
  settings: Settings;
  /** What was wrong with the link the page was opened with (shown once, as a notice). */
  linkProblems: Message[];
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
  /** `routerFailed`: the router itself did not load (Retry loads it again). */
  routing: Status<RouteResult> & { routerFailed?: boolean };
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
  computerCheck: Status<ComputerCheck> & { step?: CheckStep };
  checkComputer(): Promise<void>;
}

/**
 * The whole store: the core, the app-wide slices, and each tab's slice, which its own module
 * adds to this interface (declare module "…/app-store"), so that a new tab edits nothing here.
 */
export interface AppState extends AppCore, LessonSlice, RecordedSlice {}
export type AppStore = StoreApi<AppState>;

/** Where the site's files are (relative to index.html, so any sub-path works). */
export interface SiteUrls {
  models: string;
  corpus: (language: string) => string;
  /** The page's base URL, for app-files.json and the page itself. */
  base: string;
}

/** The workers the store talks to. */
export interface AppWorkers {
  /** Routes as the user types; loads no TensorFlow.js. */
  router: RouterWorker;
  models: ModelWorker;
  training: TrainWorker;
  /** Started on first use: the speed check is rare. */
  bench: () => BenchWorker;
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
