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
  BACKEND_TITLES,
  BACKENDS,
  type BackendAttempt,
  type BackendChoice,
  type BackendName,
  type RefusalKind,
} from "./backend-names";
import { registerWasmKernels } from "./ops";

export interface BackendOptions {
  /** Where the wasm binaries are served (browser builds); a prefix or a file → URL map. */
  wasmPaths?: string | Record<string, string>;
  /** Take a GPU backend even when it runs on a software renderer (default: skip it). */
  allowSoftwareGpu?: boolean;
  /**
   * WASM threads (used only where SharedArrayBuffer works, i.e. a cross-origin-isolated page).
   * 1 starts the build without threads, which creates no pool of nested workers.
   */
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

/** Why a backend did not start: one plain sentence for people, and the technical detail if any. */
interface Refusal {
  why: RefusalKind;
  reason: string;
  detail?: string;
}

/** A GPU backend on a software renderer: slower than WASM, so skipped unless a link forces it. */
const softwareRefusal = (name: "webgpu" | "webgl", renderer: string): Refusal => ({
  why: "software",
  reason: `${BACKEND_TITLES[name]} runs on a software renderer here, much slower than WASM`,
  detail: `renderer: ${renderer}; ?backend=${name} forces it`,
});

async function whyWebGpuUnavailable(allowSoftware: boolean): Promise<Refusal | null> {
  // Typed here: src/ml compiles without the DOM lib.
  const gpu = (
    globalThis as {
      navigator?: { gpu?: { requestAdapter(): Promise<{ info?: GpuAdapterInfo } | null> } };
    }
  ).navigator?.gpu;
  if (!gpu)
    return {
      why: "unsupported",
      reason: "WebGPU is not available in this browser",
      detail: "navigator.gpu is missing",
    };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { why: "no-adapter", reason: "This computer offers no WebGPU adapter" };
    const info = adapter.info ?? {};
    const renderer =
      softwareRendererIn(info.vendor, info.architecture, info.device, info.description) ??
      (info.isFallbackAdapter ? "a fallback adapter" : null);
    if (renderer && !allowSoftware) return softwareRefusal("webgpu", renderer);
  } catch (e) {
    return {
      why: "no-adapter",
      reason: "This computer offers no WebGPU adapter",
      detail: (e as Error).message,
    };
  }
  try {
    await import("@tensorflow/tfjs-backend-webgpu");
  } catch (e) {
    return {
      why: "load-failed",
      reason: "The WebGPU backend could not be loaded",
      detail: (e as Error).message,
    };
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

/** The sentence for a backend that failed to start (`detail`: what TensorFlow.js said, if anything). */
const failedToStart = (name: BackendName, detail?: string): Refusal => ({
  why: name === "webgl" || name === "webgpu" ? "unsupported" : "failed",
  reason:
    name === "webgl" || name === "webgpu"
      ? `${BACKEND_TITLES[name]} is not available in this browser`
      : `${BACKEND_TITLES[name]} could not start in this browser`,
  detail: detail || undefined,
});

async function tryBackend(name: BackendName, allowSoftware: boolean): Promise<Refusal | null> {
  if (name === "webgpu") {
    const why = await whyWebGpuUnavailable(allowSoftware);
    if (why) return why;
  }
  if (name === "webgl" && !allowSoftware) {
    const software = softwareWebGl();
    if (software) return softwareRefusal("webgl", software);
  }
  if (!tf.findBackendFactory(name))
    return failedToStart(name, `no ${name} backend is registered in this environment`);
  // tfjs reports why a backend failed only through console.warn: keep it as the detail.
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(" "));
  };
  try {
    const ok = await tf.setBackend(name);
    const detail = warnings.filter((w) => !w.startsWith("Initialization of backend")).join("\n");
    if (!ok) return failedToStart(name, detail);
    await tf.ready();
    return null;
  } catch (e) {
    return failedToStart(name, (e as Error).message);
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
  // The threaded build starts a pool of 8 nested workers whatever the thread count: one thread needs none.
  if (options.wasmThreads === 1) tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  registerWasmKernels();
  const allowSoftware = options.allowSoftwareGpu ?? order.length === 1;
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const refusal = await tryBackend(name, allowSoftware);
    attempts.push(refusal ? { name, ok: false, ...refusal } : { name, ok: true });
    if (!refusal)
      return name === "wasm" ? { name, attempts, threads: getThreadsCount() } : { name, attempts };
  }
  throw new NoBackendError(attempts);
}

/**
 * Whether the backend in use keeps tensors in main memory (WASM, CPU): there, work that reads them
 * into plain arrays (the row losses, FastDecoder's passes) beats many small kernels; on a GPU it
 * would cost a readback.
 */
export const inMainMemory = (): boolean => tf.getBackend() === "wasm" || tf.getBackend() === "cpu";

/** No backend of the order started: the message lists each one's reason; `attempts` keeps them apart. */
export class NoBackendError extends Error {
  constructor(readonly attempts: BackendAttempt[]) {
    super(
      `no TensorFlow.js backend could start: ${attempts.map((a) => `${a.name}: ${a.reason}${a.detail ? ` (${a.detail})` : ""}`).join("; ")}`,
    );
  }
}
