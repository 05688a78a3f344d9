/**
 * Fetching files over an unreliable network: a transient failure (a network error, HTTP 5xx,
 * 408 or 429, a connection that stalls) is retried after a pause; a stall is a request that
 * receives no bytes for `stallMs`, so a slow but moving download is never cut. A `signal` cancels
 * at once, whatever the request is waiting for.
 */
export interface FetchOptions {
  cache?: RequestInit["cache"];
  /** Tries in all (1 = no retry). */
  attempts?: number;
  /** Milliseconds without a byte after which a request counts as stalled. */
  stallMs?: number;
  /** Milliseconds before the second try; doubled before each further one. */
  retryDelayMs?: number;
  /** Cancels the download (and any retry): it then fails with a CancelledError. */
  signal?: AbortSignal;
}

export const FETCH_DEFAULTS = { attempts: 3, stallMs: 20_000, retryDelayMs: 500 };

import { ProblemError } from "./problems";

/** A failure worth trying again. */
class TransientError extends ProblemError {}

/** The download was cancelled by its caller (never retried). */
export class CancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "CancelledError"; // kept when the error crosses from a worker
  }
}

const transientStatus = (status: number) => status >= 500 || status === 408 || status === 429;

async function fetchOnce(
  url: string,
  cache: RequestInit["cache"],
  stallMs: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const seconds = stallMs / 1000;
  const controller = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let stalled = false;
  // Every wait races `ended`: an aborted fetch does not always settle at once (a request held by
  // a proxy or a dead connection can keep it pending), and a cancel or a stall must not wait.
  let endWaits: (reason: Error) => void = () => {};
  const ended = new Promise<never>((_, reject) => {
    endWaits = reject;
  });
  ended.catch(() => undefined);
  const end = () => {
    controller.abort();
    void reader?.cancel().catch(() => undefined);
    endWaits(new Error("ended"));
  };
  const stall = () => {
    stalled = true;
    end();
  };
  signal?.addEventListener("abort", end);
  let timer = setTimeout(stall, stallMs);
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(stall, stallMs);
  };
  try {
    let response: Response;
    try {
      response = await Promise.race([fetch(url, { cache, signal: controller.signal }), ended]);
    } catch (e) {
      throw stalled
        ? new TransientError("noAnswer", { seconds }, `no answer for ${seconds} s`)
        : new TransientError("network", {}, (e as Error).message);
    }
    if (!response.ok) {
      const { status } = response;
      const message = `HTTP ${status} ${response.statusText}`.trim();
      throw transientStatus(status)
        ? new TransientError("httpStatus", { status }, message)
        : new ProblemError("httpStatus", { status }, message);
    }
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let length = 0;
    const stalledError = () =>
      new TransientError("stalled", { seconds }, `the download stalled (no data for ${seconds} s)`);
    try {
      for (;;) {
        restart();
        const { done, value } = await Promise.race([reader.read(), ended]);
        if (stalled) throw stalledError();
        if (done) break;
        chunks.push(value);
        length += value.length;
      }
    } catch (e) {
      throw stalled ? stalledError() : new TransientError("network", {}, (e as Error).message);
    }
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  } catch (e) {
    throw signal?.aborted ? new CancelledError() : e;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", end);
  }
}

/** `promise`, or a CancelledError as soon as `signal` aborts (the work itself is not stopped). */
export function cancellable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const cancel = () => reject(new CancelledError());
    signal.addEventListener("abort", cancel, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", cancel));
  });
}

/** Waits `ms`, or less when `signal` aborts (then throws CancelledError). */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const cancel = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", cancel);
      resolve();
    }, ms);
    signal?.addEventListener("abort", cancel, { once: true });
  });
}

/** The bytes at `url`, retrying transient failures; the error names the last failure. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const { attempts, stallMs, retryDelayMs } = { ...FETCH_DEFAULTS, ...options };
  let delay = retryDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(url, options.cache ?? "default", stallMs, options.signal);
    } catch (e) {
      if (options.signal?.aborted) throw new CancelledError();
      if (!(e instanceof TransientError) || attempt >= attempts) {
        if (attempt === 1 || !(e instanceof ProblemError)) throw e;
        throw new ProblemError(
          e.code,
          { ...e.values, tries: attempt },
          `${e.message} (after ${attempt} tries)`,
        );
      }
      await pause(delay, options.signal);
      delay *= 2;
    }
  }
}
