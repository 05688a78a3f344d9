/**
 * Backend selection: WebGPU → WebGL → WASM → CPU, taking the first that initialises, and saying
 * why each one before it was skipped. `tf.setBackend` resolves to false (not an error) when a
 * backend fails to start, so every step checks its result. A GPU backend that runs on a software
 * renderer (SwiftShader, llvmpipe, lavapipe…) is skipped unless it is the only one asked for: it
 * is 30–100× slower than WASM.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { getThreadsCount, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
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
  /** Take a GPU backend even when it runs on a software renderer (default: skip it). */
  allowSoftwareGpu?: boolean;
  /** WASM threads (used only where SharedArrayBuffer works, i.e. a cross-origin-isolated page). */
  wasmThreads?: number;
}

/** Names of software renderers, as GPU adapters and WebGL renderers report them. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

/** The software renderer a description names, or null. */
export function softwareRendererIn(...descriptions: (string | undefined)[]): string | null {
  for (const d of descriptions) {
    const match = d?.match(SOFTWARE_RENDERER);
    if (match) return match[0];
  }
  return null;
}

interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE_HINT = "much slower than WASM; ?backend=";

async function whyWebGpuUnavailable(allowSoftware: boolean): Promise<string | null> {
  // Typed here: src/ml compiles without the DOM lib.
  const gpu = (
    globalThis as {
      navigator?: { gpu?: { requestAdapter(): Promise<{ info?: GpuAdapterInfo } | null> } };
    }
  ).navigator?.gpu;
  if (!gpu) return "this environment has no WebGPU (navigator.gpu is missing)";
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return "no WebGPU adapter was found";
    const info = adapter.info ?? {};
    const renderer = softwareRendererIn(
      info.vendor,
      info.architecture,
      info.device,
      info.description,
    );
    const software = renderer
      ? `a software renderer (${renderer})`
      : info.isFallbackAdapter
        ? "a fallback (software) adapter"
        : null;
    if (software && !allowSoftware)
      return `its adapter is ${software}, ${SOFTWARE_HINT}webgpu forces it`;
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

/** The WebGL renderer's name when it is a software one (only where OffscreenCanvas exists). */
function softwareWebGl(): string | null {
  interface Gl {
    RENDERER: number;
    getExtension(name: string): { UNMASKED_RENDERER_WEBGL?: number; loseContext?(): void } | null;
    getParameter(parameter: number): unknown;
  }
  const Canvas = (
    globalThis as {
      OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: "webgl2"): Gl | null };
    }
  ).OffscreenCanvas;
  const gl = Canvas ? new Canvas(1, 1).getContext("webgl2") : null;
  if (!gl) return null;
  const unmasked = gl.getExtension("WEBGL_debug_renderer_info")?.UNMASKED_RENDERER_WEBGL;
  const renderer = String(gl.getParameter(unmasked ?? gl.RENDERER));
  gl.getExtension("WEBGL_lose_context")?.loseContext?.();
  return softwareRendererIn(renderer);
}

async function tryBackend(name: BackendName, allowSoftware: boolean): Promise<string | null> {
  if (name === "webgpu") {
    const why = await whyWebGpuUnavailable(allowSoftware);
    if (why) return why;
  }
  if (name === "webgl" && !allowSoftware) {
    const software = softwareWebGl();
    if (software)
      return `its renderer is a software one (${software}), ${SOFTWARE_HINT}webgl forces it`;
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
 * Sets the first backend of `order` that works (a software GPU only when it is all `order` holds,
 * or when allowed). Throws, listing every reason, if none does.
 */
export async function selectBackend(
  order: readonly BackendName[] = BACKENDS,
  options: BackendOptions = {},
): Promise<BackendChoice> {
  if (options.wasmPaths) setWasmPaths(options.wasmPaths);
  if (options.wasmThreads) setThreadsCount(options.wasmThreads);
  registerWasmKernels();
  const allowSoftware = options.allowSoftwareGpu ?? order.length === 1;
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const reason = await tryBackend(name, allowSoftware);
    attempts.push(reason ? { name, ok: false, reason } : { name, ok: true });
    if (!reason)
      return name === "wasm" ? { name, attempts, threads: getThreadsCount() } : { name, attempts };
  }
  throw new Error(
    `no TensorFlow.js backend could start: ${attempts.map((a) => `${a.name}: ${a.reason}`).join("; ")}`,
  );
}
