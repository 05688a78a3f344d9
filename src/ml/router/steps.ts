/**
 * Long fits as steps: a generator that yields the share done (0…1) now and then and returns its
 * result. The CLI and tests run one at once; a worker runs it with a pause at each step, so that
 * a Stop sent meanwhile is heard (StoppedError) and nothing the fit would have replaced changes.
 */
export type Steps<T> = Generator<number, T, void>;

/** A fit stopped on request. */
export class StoppedError extends Error {
  constructor() {
    super("stopped");
    this.name = "StoppedError";
  }
}

/** Runs `steps` to the end at once, telling `onProgress` each share done. */
export function runSteps<T>(steps: Steps<T>, onProgress?: (done: number) => void): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    onProgress?.(next.value);
  }
}

/** Runs `steps`, letting other events in at each step; throws StoppedError once `signal` aborts. */
export async function runStepsAsync<T>(
  steps: Steps<T>,
  onProgress?: (done: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal?.aborted) throw new StoppedError();
    const next = steps.next();
    if (next.done) return next.value;
    onProgress?.(next.value);
  }
}

/** `steps` with its shares mapped into [from, to] of a larger whole. */
export function* within<T>(steps: Steps<T>, from: number, to: number): Steps<T> {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
    yield from + (to - from) * next.value;
  }
}
