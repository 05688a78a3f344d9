/**
 * Backend selection: WebGPU → WebGL → WASM → CPU, taking the first that initialises, and saying
 * why each one before it was skipped. `tf.setBackend` resolves to false (not an error) when a
 * backend fails to start, so every step checks its result.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { registerWasmSegmentSum } from "./ops";

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

export interface BackendOptions {
  /** Where the wasm binaries are served (browser builds); a prefix or a file → URL map. */
  wasmPaths?: string | Record<string, string>;
}

export function isBackendName(value: unknown): value is BackendName {
  return typeof value === "string" && (BACKENDS as readonly string[]).includes(value);
}

async function whyWebGpuUnavailable(): Promise<string | null> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } })
    ?.gpu;
  if (!gpu) return "this environment has no WebGPU (navigator.gpu is missing)";
  try {
    if (!(await gpu.requestAdapter())) return "no WebGPU adapter was found";
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${(e as Error).message}`;
  }
  try {
    await import("@tensorflow/tfjs-backend-webgpu");
  } catch (e) {
    return `the WebGPU backend failed to load: ${(e as Error).message}`;
  }
  return null;
}

async function tryBackend(name: BackendName): Promise<string | null> {
  if (name === "webgpu") {
    const why = await whyWebGpuUnavailable();
    if (why) return why;
  }
  if (!tf.findBackendFactory(name))
    return `the ${name} backend is not available in this environment`;
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `the ${name} backend failed to initialise`;
    await tf.ready();
    return null;
  } catch (e) {
    return `the ${name} backend failed to initialise: ${(e as Error).message}`;
  }
}

/**
 * Sets the first backend of `order` that works. Throws, listing every reason, if none does.
 */
export async function selectBackend(
  order: readonly BackendName[] = BACKENDS,
  options: BackendOptions = {},
): Promise<BackendChoice> {
  if (options.wasmPaths) setWasmPaths(options.wasmPaths);
  registerWasmSegmentSum();
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const reason = await tryBackend(name);
    attempts.push(reason ? { name, ok: false, reason } : { name, ok: true });
    if (!reason) return { name, attempts };
  }
  throw new Error(
    `no TensorFlow.js backend could start: ${attempts.map((a) => `${a.name}: ${a.reason}`).join("; ")}`,
  );
}

/** One line for a status bar, e.g. "wasm (webgpu: no WebGPU adapter was found; webgl: …)". */
export function describeBackendChoice(choice: BackendChoice): string {
  const skipped = choice.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.reason}`);
  return skipped.length ? `${choice.name} (skipped ${skipped.join("; ")})` : choice.name;
}
