/** Fetching over an unreliable network: retries of transient failures, stalls cut, no retry of a 404. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { CancelledError, cancellable, fetchBytes } from "../src/ml/fetch";

afterEach(() => vi.unstubAllGlobals());

/** A fetch that answers each call with the next of `answers`. */
function stubFetch(answers: (() => Promise<Response>)[]) {
  const calls: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    calls.push(url);
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next();
  });
  return calls;
}

describe("fetchBytes", () => {
  it("tries again after a 500 and a network error, and returns the bytes", async () => {
    const calls = stubFetch([
      async () => new Response("oops", { status: 500 }),
      async () => {
        throw new TypeError("Failed to fetch");
      },
      async () => new Response(new Uint8Array([1, 2, 3])),
    ]);
    expect([...(await fetchBytes("http://x/a.bin", { retryDelayMs: 1 }))]).toEqual([1, 2, 3]);
    expect(calls).toHaveLength(3);
  });

  it("does not retry a 404, and names the last failure after the last try", async () => {
    stubFetch([async () => new Response("", { status: 404, statusText: "Not Found" })]);
    await expect(fetchBytes("http://x/missing", { retryDelayMs: 1 })).rejects.toThrow(
      /^HTTP 404 Not Found$/,
    );
    stubFetch([1, 2, 3].map(() => async () => new Response("", { status: 503 })));
    await expect(fetchBytes("http://x/busy", { retryDelayMs: 1 })).rejects.toThrow(
      /HTTP 503 \(after 3 tries\)/,
    );
  });

  it("cuts a download that stops sending bytes, and retries it", async () => {
    const stalled = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new Uint8Array([9]));
            // …and nothing more, ever.
          },
        }),
      );
    const calls = stubFetch([async () => stalled(), async () => stalled()]);
    const started = Date.now();
    await expect(
      fetchBytes("http://x/hung", { attempts: 2, stallMs: 100, retryDelayMs: 1 }),
    ).rejects.toThrow(/the download stalled \(no data for 0\.1 s\) \(after 2 tries\)/);
    expect(calls).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("cancels at once on its signal, even a request that ignores the abort, and never retries", async () => {
    // A request that never settles, not even when aborted (as a held connection can).
    const calls = stubFetch([() => new Promise<Response>(() => {})]);
    const controller = new AbortController();
    const download = fetchBytes("http://x/held", { stallMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(download).rejects.toThrow(CancelledError);
    expect(calls).toHaveLength(1);
    // A cancel during the pause before a retry ends it too.
    stubFetch([async () => new Response("", { status: 503 })]);
    const retrying = new AbortController();
    const second = fetchBytes("http://x/busy", { retryDelayMs: 60_000, signal: retrying.signal });
    setTimeout(() => retrying.abort(), 10);
    await expect(second).rejects.toThrow("cancelled");
  });

  it("cancellable: a shared wait ends on the signal, while the work goes on for others", async () => {
    let finish: (v: number) => void = () => {};
    const work = new Promise<number>((resolve) => {
      finish = resolve;
    });
    const controller = new AbortController();
    const mine = cancellable(work, controller.signal);
    controller.abort();
    await expect(mine).rejects.toThrow(CancelledError);
    finish(7);
    expect(await cancellable(work)).toBe(7);
  });
});
