/**
 * Backend selection: WebGPU → WebGL → WASM → CPU, taking the first that initialises, and saying
 * why each one before it was skipped. `tf.setBackend` resolves to false (not an error) when a
 * backend fails to start, so every step checks its result.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  BACKENDS,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
} from "./backend-names";
import { registerWasmKernels } from "./ops";

export interface BackendOptions {
  /** Where the wasm binaries are served (browser builds); a prefix or a file → URL map. */
  wasmPaths?: string | Record<string, string>;
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
  // tfjs reports why a backend failed only through console.warn: keep the message for the user.
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(" "));
  };
  try {
    const ok = await tf.setBackend(name);
    const detail = warnings
      .filter((w) => !w.startsWith("Initialization of backend"))
      .join(" ")
      .split("\n")[0];
    if (!ok) return `the ${name} backend failed to initialise${detail ? `: ${detail}` : ""}`;
    await tf.ready();
    return null;
  } catch (e) {
    return `the ${name} backend failed to initialise: ${(e as Error).message}`;
  } finally {
    console.warn = warn;
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
  registerWasmKernels();
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
