/**
 * The model worker's routers besides the shipped one: the Router lab's or the one with an added
 * language (one slot), whether it routes, the added router waiting to be installed, and the fit
 * running now, which Stop ends at its next step.
 */
import { type Router, runStepsAsync, type Steps } from "../ml/router";
import type { OtherRouter } from "./router-types";

export class OtherRouters {
  /** The Router lab's latest router, or the one with an added language. */
  private other: { router: Router; source: OtherRouter["source"] } | null = null;
  private routes = false;
  /** The router Add a language fitted, until `useAdded` installs it. */
  private pendingAdded: Router | null = null;
  private fit: AbortController | null = null;

  /** The router that routes: the other one when it is chosen, else `shipped`. */
  active(shipped: Router): Router {
    return this.routes && this.other ? this.other.router : shipped;
  }

  /** The other router as a file, when it routes (null: the shipped one routes). */
  activeFile(): OtherRouter | null {
    return this.routes && this.other
      ? { source: this.other.source, json: this.other.router.toJSON() }
      : null;
  }

  /** Runs a router fit with a pause at each step, so that `stop` is heard. */
  async fitting<T>(steps: Steps<T>, onProgress: (done: number) => void): Promise<T> {
    this.fit?.abort();
    const stop = new AbortController();
    this.fit = stop;
    try {
      return await runStepsAsync(steps, onProgress, stop.signal);
    } finally {
      if (this.fit === stop) this.fit = null;
    }
  }

  stop(): void {
    this.fit?.abort();
  }

  /** The Router lab fitted this one (it routes once chosen). */
  keepLab(router: Router): void {
    this.other = { router, source: "lab" };
  }

  /** Add a language fitted this one: it waits for `useAdded`. */
  keepPendingAdded(router: Router): void {
    this.pendingAdded = router;
  }

  useAdded(): void {
    if (!this.pendingAdded) throw new Error("no router has been fitted with a new language");
    this.install(this.pendingAdded);
    this.pendingAdded = null;
  }

  /** Routes with `router`, the router of an added language (fitted now or on an earlier visit). */
  install(router: Router): void {
    this.other = { router, source: "added" };
    this.routes = true;
  }

  added(): Router {
    if (this.other?.source !== "added") throw new Error("no language has been added");
    return this.other.router;
  }

  choose(which: "lab" | "shipped"): void {
    if (which === "lab" && !this.other) throw new Error("train a router in the Router lab first");
    this.routes = which === "lab";
  }
}
