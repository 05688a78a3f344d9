/**
 * Fetching files over an unreliable network: a transient failure (a network error, HTTP 5xx,
 * 408 or 429, a connection that stalls) is retried after a pause; a stall is a request that
 * receives no bytes for `stallMs`, so a slow but moving download is never cut.
 */
export interface FetchOptions {
  cache?: RequestInit["cache"];
  /** Tries in all (1 = no retry). */
  attempts?: number;
  /** Milliseconds without a byte after which a request counts as stalled. */
  stallMs?: number;
  /** Milliseconds before the second try; doubled before each further one. */
  retryDelayMs?: number;
}

export const FETCH_DEFAULTS = { attempts: 3, stallMs: 20_000, retryDelayMs: 500 };

/** A failure worth trying again. */
class TransientError extends Error {}

const transientStatus = (status: number) => status >= 500 || status === 408 || status === 429;

async function fetchOnce(
  url: string,
  cache: RequestInit["cache"],
  stallMs: number,
): Promise<Uint8Array> {
  const controller = new AbortController();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let stalled = false;
  const stall = () => {
    stalled = true;
    controller.abort();
    void reader?.cancel().catch(() => undefined); // a pending read then ends
  };
  let timer = setTimeout(stall, stallMs);
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(stall, stallMs);
  };
  try {
    let response: Response;
    try {
      response = await fetch(url, { cache, signal: controller.signal });
    } catch (e) {
      throw new TransientError(
        stalled ? `no answer for ${stallMs / 1000} s` : (e as Error).message,
      );
    }
    if (!response.ok) {
      const message = `HTTP ${response.status} ${response.statusText}`.trim();
      throw transientStatus(response.status) ? new TransientError(message) : new Error(message);
    }
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let length = 0;
    const stallMessage = `the download stalled (no data for ${stallMs / 1000} s)`;
    try {
      for (;;) {
        restart();
        const { done, value } = await reader.read();
        if (stalled) throw new TransientError(stallMessage);
        if (done) break;
        chunks.push(value);
        length += value.length;
      }
    } catch (e) {
      throw new TransientError(stalled ? stallMessage : (e as Error).message);
    }
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    return bytes;
  } finally {
    clearTimeout(timer);
  }
}

/** The bytes at `url`, retrying transient failures; the error names the last failure. */
export async function fetchBytes(url: string, options: FetchOptions = {}): Promise<Uint8Array> {
  const { attempts, stallMs, retryDelayMs } = { ...FETCH_DEFAULTS, ...options };
  let delay = retryDelayMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchOnce(url, options.cache ?? "default", stallMs);
    } catch (e) {
      if (!(e instanceof TransientError) || attempt >= attempts) {
        const tries = attempt > 1 ? ` (after ${attempt} tries)` : "";
        throw new Error(`${(e as Error).message}${tries}`);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}
