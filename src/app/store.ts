/**
 * The app's single store: UI → store → worker API. The UI never touches tensors. main.tsx creates
 * it with its workers (createAppStore), from the core below, the app-wide slices and each tab's
 * slice (tabs/registry.ts); components read it with app-store.ts's useAppStore.
 */
import * as Comlink from "comlink";
import { createStore } from "zustand";
import { type BackendName, describeBackendChoice, isBackendName } from "../ml/backend-names";
import type { Artifact } from "../ml/manifest";
import { NONE } from "../ml/router/classes";
import type { CheckStep } from "../workers/bench-types";
import { showInAddressBar, textsKeptOutOfAddress } from "./address-bar";
import type { AppState, AppStore, AppWorkers, SiteUrls } from "./app-store";
import { gpuFingerprint, keepMeasurement, keptMeasurement } from "./backend-choice";
import { isLocked, parseControls } from "./class-links";
import { translate } from "./i18n";
import { whyOf } from "./i18n/problems";
import { LANGUAGES } from "./languages";
import { createLessonSlice, LESSON } from "./lessons";
import { cacheForOffline, offlineSupported } from "./offline";
import { FIRST_DECISION_MARK } from "./performance-marks";
import { decodeLanes, encodeLanes } from "./race";
import { createRecordedSlice, RECORDED_PATH } from "./recorded";
import {
  firstChars,
  type LongTextKey,
  linkParams,
  linkSize,
  parseSettings,
  SETTINGS,
} from "./settings";
import { ADDABLE_LANGUAGES } from "./tabs/add-language/add-language";
import { EXPERIMENTS_PATH } from "./tabs/forgetting/forgetting";
import { TABS } from "./tabs/registry";

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
export function createAppStore(workers: AppWorkers, urls: SiteUrls, search: string): AppStore {
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
        .startup(translate("startup.router"), (w) => w.loadRouting(urls.models), STARTUP_LIMIT_MS)
        .then(() => {
          set({ routing: { state: "idle" } });
          get().route(get().settings.text, 0);
        })
        .catch((e: unknown) =>
          set({
            routing: {
              state: "error",
              message: translate("route.routerFailed", { why: whyOf(e) }),
              routerFailed: true,
            },
          }),
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
            .startup(translate("startup.measuring"), (w) => w.measureBackends(), STARTUP_LIMIT_MS);
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
      ...Object.assign({}, ...TABS.map((tab) => tab.slice?.({ workers, urls })(set, get, store))),
      ...createLessonSlice()(set, get, store),
      ...createRecordedSlice(urls.base)(set, get, store),
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
        set({
          computerCheck: { state: "loading", step: { backend: "webgpu", phase: "starting" } },
        });
        await decided;
        const worker = workers.bench();
        try {
          const onProgress = Comlink.proxy((step: CheckStep) =>
            set({ computerCheck: { state: "loading", step } }),
          );
          const value = await worker.call((w) => w.checkComputer(onProgress));
          set({ computerCheck: { state: "ready", value } });
        } catch (e) {
          set({ computerCheck: { state: "error", message: whyOf(e) } });
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
        set({ workerNotice: translate("worker.notice", { why: reason }) });
        for (const tab of TABS) tab.modelWorkerRestarted?.({ get, set, workers }, reason);
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
            worker.startup(translate("startup.tf"), (w) => w.init(generation), STARTUP_LIMIT_MS),
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
          .catch((e: unknown) => set({ backend: { state: "error", message: whyOf(e) } }));
        const manifest = worker
          .startup(translate("startup.manifest"), (w) => w.manifest(urls.models), STARTUP_LIMIT_MS)
          .then((m) => {
            set({ artifacts: { state: "ready", value: m.artifacts } });
            if (!offlineSupported()) return;
            set({ offline: { state: "loading" } });
            offlineFiles(urls, m.artifacts)
              .then(cacheForOffline)
              .then((files) => set({ offline: { state: "ready", value: { files } } }))
              .catch((e: unknown) => set({ offline: { state: "error", message: whyOf(e) } }));
          })
          .catch((e: unknown) => set({ artifacts: { state: "error", message: whyOf(e) } }));
        // The model worker reads the tokenizer too (generation routes the prompt, the Router lab
        // and Add a language fit routers): a failure there shows when they run.
        const modelRouting = worker
          .startup(
            translate("startup.tokenizer"),
            (w) => w.loadRouting(urls.models),
            STARTUP_LIMIT_MS,
          )
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
          set({ routing: { state: "error", message: whyOf(e) } });
          return;
        }
        get().route(get().settings.text);
      },

      routerWorkerRestarted(reason) {
        set({
          workerNotice: translate("worker.notice", { why: reason }),
          routing: { state: "loading" },
        });
        void loadRouting().then(() => get().activeRouterChanged());
      },

      retryStart() {
        worker.restart(translate("backend.retry"), false);
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
            if (request === routeRequest) set({ routing: { state: "error", message: whyOf(e) } });
          }
        }, pauseMs);
      },
    };
  });
}
