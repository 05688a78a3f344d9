/** Backend names and how a choice is described: no TensorFlow.js import, so the UI thread can use it. */

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

export interface BackendChoice {
  name: BackendName;
  attempts: BackendAttempt[];
  /** WASM only: the threads it computes on (more than one needs a cross-origin-isolated page). */
  threads?: number;
}

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === "string" && (BACKENDS as readonly string[]).includes(value);
}

/** "wasm, 2 threads": the backend and, for WASM, its thread count. */
export function backendLabel(choice: BackendChoice): string {
  if (choice.threads === undefined) return choice.name;
  return `${choice.name}, ${choice.threads} thread${choice.threads === 1 ? "" : "s"}`;
}

/** One line for a status bar, e.g. "wasm (webgpu: no WebGPU adapter was found; webgl: …)". */
export function describeBackendChoice(choice: BackendChoice): string {
  const skipped = choice.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.reason}`);
  const name = backendLabel(choice);
  return skipped.length ? `${name} (skipped ${skipped.join("; ")})` : name;
}
