/**
 * Keeps a worker alive: when it crashes (an uncaught error) or reports that its GPU device was
 * lost, it is replaced by a fresh one and `onRestart` lets the store reload what it needs. Calls
 * made through `call` reject with the reason instead of hanging when the worker dies under them.
 * State the user cares about (text, settings, finished runs) lives in the store, not the worker.
 */
import * as Comlink from "comlink";

import { DEVICE_LOST } from "../workers/supervisor-types";

export class WorkerSupervisor<T> {
  private worker!: Worker;
  private remote!: Comlink.Remote<T>;
  private crashed!: Promise<never>;
  private rejectCrashed!: (e: Error) => void;
  restarts = 0;

  constructor(
    private readonly create: () => Worker,
    private readonly label: string,
    private readonly onRestart: (reason: string) => void,
  ) {
    this.boot();
  }

  /** The current worker's API (changes after a restart: do not keep it). */
  get api(): Comlink.Remote<T> {
    return this.remote;
  }

  /** Calls the worker; rejects, rather than waiting forever, if the worker dies meanwhile. */
  call<R>(fn: (api: Comlink.Remote<T>) => Promise<R>): Promise<R> {
    return Promise.race([fn(this.remote), this.crashed]);
  }

  restart(reason: string): void {
    this.rejectCrashed(new Error(`${reason}; it was restarted`));
    this.worker.terminate();
    this.restarts++;
    this.boot();
    this.onRestart(reason);
  }

  private boot(): void {
    this.worker = this.create();
    this.remote = Comlink.wrap<T>(this.worker);
    this.crashed = new Promise<never>((_, reject) => {
      this.rejectCrashed = reject;
    });
    this.crashed.catch(() => {}); // observed by `call`; not an unhandled rejection otherwise
    const worker = this.worker;
    worker.addEventListener("error", (e) => {
      e.preventDefault();
      if (worker === this.worker)
        this.restart(`the ${this.label} worker crashed (${e.message || "unknown error"})`);
    });
    worker.addEventListener("message", (e: MessageEvent<{ type?: string; message?: string }>) => {
      if (e.data?.type === DEVICE_LOST && worker === this.worker)
        this.restart(`the GPU device was lost (${e.data.message ?? "no reason given"})`);
    });
  }
}
