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
}

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === "string" && (BACKENDS as readonly string[]).includes(value);
}

/** One line for a status bar, e.g. "wasm (webgpu: no WebGPU adapter was found; webgl: …)". */
export function describeBackendChoice(choice: BackendChoice): string {
  const skipped = choice.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.reason}`);
  return skipped.length ? `${choice.name} (skipped ${skipped.join("; ")})` : choice.name;
}
