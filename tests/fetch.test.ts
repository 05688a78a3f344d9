/** Fetching over an unreliable network: retries of transient failures, stalls cut, no retry of a 404. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { fetchBytes } from "../src/ml/fetch";

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
});
