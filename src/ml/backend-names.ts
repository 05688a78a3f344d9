/** Backend names and how a choice is described: no TensorFlow.js import, so the UI thread can use it. */

export const BACKENDS = ["webgpu", "webgl", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * Why a backend did not start: not in this browser, no GPU adapter, its code failed to load, only a
 * software renderer (slower than WASM), or it failed while starting.
 */
export type RefusalKind = "unsupported" | "no-adapter" | "load-failed" | "software" | "failed";

/** Each backend's name in a sentence ("WebGPU is not available in this browser"). */
export const BACKEND_TITLES: Record<BackendName, string> = {
  webgpu: "WebGPU",
  webgl: "WebGL",
  wasm: "WebAssembly (WASM)",
  cpu: "JavaScript (CPU)",
};

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it did not start, in one plain sentence ("WebGL is not available in this browser"). */
  reason?: string;
  /** The same as a code, which the UI words in its own language. */
  why?: RefusalKind;
  /** The technical detail behind the reason (what TensorFlow.js or the browser said), if any. */
  detail?: string;
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

/** One line for a log, e.g. "wasm (skipped webgpu: WebGPU is not available in this browser; …)". */
export function describeBackendChoice(choice: BackendChoice): string {
  const skipped = choice.attempts
    .filter((a) => !a.ok)
    .map((a) => `${a.name}: ${a.reason}${a.detail ? ` (${a.detail})` : ""}`);
  const name = backendLabel(choice);
  return skipped.length ? `${name} (skipped ${skipped.join("; ")})` : name;
}

/** A backend's measured speed here: a student generating, and a training step of the lesson's size. */
export interface BackendSpeed {
  backend: BackendName;
  generationTokensPerSec: number;
  trainingTokensPerSec: number;
}

/** What the first visit measured: the fastest backend for each kind of work, and why others were left out. */
export interface MeasuredBackends {
  generation: BackendName;
  training: BackendName;
  speeds: BackendSpeed[];
  /** Backends not measured: they did not start, or run on a software GPU (the rule's shortcut). */
  skipped: BackendAttempt[];
}

/**
 * The fastest measured backend for generation and for training, each on its own: small models'
 * generation is dominated by per-call overhead, where WASM often beats a GPU that trains faster.
 */
export function fastestBackends(
  speeds: readonly BackendSpeed[],
): { generation: BackendName; training: BackendName } | null {
  if (speeds.length === 0) return null;
  const best = (rate: (s: BackendSpeed) => number) =>
    speeds.reduce((a, b) => (rate(b) > rate(a) ? b : a)).backend;
  return {
    generation: best((s) => s.generationTokensPerSec),
    training: best((s) => s.trainingTokensPerSec),
  };
}
