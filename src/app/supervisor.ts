/**
 * Keeps a worker alive: when it crashes (an uncaught error) or reports that its GPU device was
 * lost, it is replaced by a fresh one and `onRestart` lets the store reload what it needs. Calls
 * made through `call` reject with the reason instead of hanging when the worker dies under them.
 * State the user cares about (text, settings, finished runs) lives in the store, not the worker.
 *
 * Start-up steps go through `startup`, which also watches that the worker's thread still answers:
 * in Firefox, a worker starting TensorFlow.js's threaded WASM build can freeze for ever inside the
 * `new Worker()` of its thread pool (the constructor never returns, so the thread never runs again).
 * Such a worker is replaced by one that starts WASM without threads, and the step runs again there.
 */
import * as Comlink from "comlink";

import { keepProblemsAcrossWorkers } from "../workers/problem-transfer";
import { DEVICE_LOST, PING, PONG, SINGLE_THREAD } from "../workers/supervisor-types";
import { translate } from "./i18n";
import type { TextKey } from "./i18n/catalogues";

/** The app's workers, as messages name them ("the model worker crashed"). */
export type WorkerName = "router" | "model" | "training" | "speed-check";
const WORKER_NAMES: Record<WorkerName, TextKey> = {
  router: "worker.router",
  model: "worker.model",
  training: "worker.training",
  "speed-check": "worker.bench",
};

/**
 * A thread that leaves pings unanswered `freezeMs` during a start-up step is taken as frozen; it is
 * pinged every `pingEveryMs`.
 */
export const LIVENESS = { freezeMs: 6_000, pingEveryMs: 1_000 };

/** A start-up step gave up: it names what it waited for, for a message with Retry. */
export class StartupError extends Error {
  override name = "StartupError";
}

/** The worker stopped answering and was replaced (the calls waiting on it fail with this). */
class WorkerFrozen extends Error {}

export class WorkerSupervisor<T> {
  private worker!: Worker;
  private remote!: Comlink.Remote<T>;
  private crashed!: Promise<never>;
  private rejectCrashed!: (e: Error) => void;
  /** When the current worker last answered a ping (0: not yet). */
  private lastPong = 0;
  /** Whether a worker has been started (on first use). */
  private booted = false;
  /** Set once a worker froze: every later worker starts WASM without threads. */
  private singleThreaded = false;
  restarts = 0;

  constructor(
    private readonly create: () => Worker,
    private readonly label: WorkerName,
    private readonly onRestart: (reason: string) => void,
    private readonly liveness = LIVENESS,
  ) {}

  /**
   * The current worker's API (changes after a restart: do not keep it). The worker starts on
   * first use, so a page starts only the workers it needs, in the order it needs them.
   */
  get api(): Comlink.Remote<T> {
    this.current();
    return this.remote;
  }

  /** The current worker, started now if it has not been yet. */
  private current(): Worker {
    if (!this.booted) this.boot();
    return this.worker;
  }

  /**
   * Calls the worker; rejects, rather than waiting forever, if the worker dies meanwhile. A call
   * that waited on a worker found frozen while starting runs again on its replacement: the frozen
   * thread never ran it.
   */
  async call<R>(fn: (api: Comlink.Remote<T>) => Promise<R>): Promise<R> {
    try {
      return await this.untilCrash(fn);
    } catch (e) {
      if (!(e instanceof WorkerFrozen)) throw e;
      return this.untilCrash(fn);
    }
  }

  /** `fn` on the current worker (started if need be), rejected if that worker dies meanwhile. */
  private untilCrash<R>(fn: (api: Comlink.Remote<T>) => Promise<R>): Promise<R> {
    return Promise.race([fn(this.api), this.crashed]);
  }

  /**
   * A start-up step (`what`: "starting TensorFlow.js", "loading the router"…): rejects with a
   * StartupError after `limitMs`, or when the worker froze twice; a first freeze replaces the
   * worker (without threads) and runs the step again, so a stalled first visit recovers on its own.
   */
  async startup<R>(
    what: string,
    fn: (api: Comlink.Remote<T>) => Promise<R>,
    limitMs = Number.POSITIVE_INFINITY,
  ): Promise<R> {
    try {
      return await this.watched(what, fn, limitMs);
    } catch (e) {
      if (!(e instanceof WorkerFrozen)) throw e;
      try {
        return await this.watched(what, fn, limitMs);
      } catch (again) {
        if (again instanceof WorkerFrozen) throw new StartupError(again.message);
        throw again;
      }
    }
  }

  restart(reason: string, notify = true): void {
    this.replace(new Error(translate("worker.restarted", { why: reason })));
    if (notify) this.onRestart(reason);
  }

  private replace(cause: Error): void {
    if (this.booted) {
      this.rejectCrashed(cause);
      this.worker.terminate();
    }
    this.restarts++;
    this.boot();
  }

  /** Runs one start-up step, pinging the worker while it waits. */
  private watched<R>(
    what: string,
    fn: (api: Comlink.Remote<T>) => Promise<R>,
    limitMs: number,
  ): Promise<R> {
    const worker = this.current();
    const started = performance.now();
    return new Promise<R>((resolve, reject) => {
      const check = () => {
        if (worker !== this.worker) return clearInterval(timer); // replaced: the call rejects by itself
        const now = performance.now();
        // Silence counts from the step's start or the last answer; a worker still loading its
        // script has not answered yet and is not judged (its download may be slow).
        const { freezeMs } = this.liveness;
        if (this.lastPong > 0 && now - Math.max(this.lastPong, started) > freezeMs) {
          this.singleThreaded = true;
          this.replace(
            new WorkerFrozen(
              translate("worker.frozen", {
                worker: translate(WORKER_NAMES[this.label]),
                what,
                seconds: freezeMs / 1000,
              }),
            ),
          );
        } else if (now - started > limitMs) {
          clearInterval(timer);
          reject(
            new StartupError(
              translate("worker.slow", { what, seconds: Math.round(limitMs / 1000) }),
            ),
          );
        } else worker.postMessage({ type: PING });
      };
      const timer = setInterval(check, this.liveness.pingEveryMs);
      // The ping goes first: a thread that freezes on the call has answered once, so it is judged.
      worker.postMessage({ type: PING });
      this.untilCrash(fn)
        .then(resolve, reject)
        .finally(() => clearInterval(timer));
    });
  }

  private boot(): void {
    this.booted = true;
    this.worker = this.create();
    keepProblemsAcrossWorkers();
    this.remote = Comlink.wrap<T>(this.worker);
    this.lastPong = 0;
    if (this.singleThreaded) this.worker.postMessage({ type: SINGLE_THREAD });
    this.crashed = new Promise<never>((_, reject) => {
      this.rejectCrashed = reject;
    });
    this.crashed.catch(() => {}); // observed by `call`; not an unhandled rejection otherwise
    const worker = this.worker;
    worker.addEventListener("error", (e) => {
      e.preventDefault();
      if (worker === this.worker)
        this.restart(
          translate("worker.crashed", {
            worker: translate(WORKER_NAMES[this.label]),
            why: e.message || translate("worker.unknown"),
          }),
        );
    });
    worker.addEventListener("message", (e: MessageEvent<{ type?: string; message?: string }>) => {
      if (worker !== this.worker) return;
      if (e.data?.type === PONG) this.lastPong = performance.now();
      else if (e.data?.type === DEVICE_LOST)
        this.restart(
          translate("worker.gpuLost", { why: e.data.message ?? translate("worker.noReason") }),
        );
    });
  }
}
