/**
 * Every worker answers its supervisor's pings (src/app/supervisor.ts) as soon as its thread is
 * free, and hears whether to start WASM without threads; a test can crash any of them. No
 * TensorFlow.js here: the router worker imports it too.
 */
import { PING, PONG, SINGLE_THREAD } from "./supervisor-types";

/** Set by the supervisor (SINGLE_THREAD) on a worker that replaces one that froze starting WASM. */
let singleThread = false;

self.addEventListener("message", (e: MessageEvent<{ type?: string }>) => {
  if (e.data?.type === PING) self.postMessage({ type: PONG });
  else if (e.data?.type === SINGLE_THREAD) singleThread = true;
});

/** Whether this worker must start WASM on one thread. */
export const singleThreaded = (): boolean => singleThread;

/** Throws outside any call, as a real crash would: for testing the page's recovery (every worker). */
export function simulateCrash(): void {
  setTimeout(() => {
    throw new Error("simulated crash");
  });
}
