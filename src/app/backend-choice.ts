/**
 * The backends the first visit measured (the fastest for generation and for training), kept in
 * this browser. They are measured again when the app's version or the GPU changes: the key is the
 * version and what the browser says of its WebGPU adapter and WebGL renderer.
 */
import { version } from "../../package.json";
import { BACKENDS, type BackendSpeed, type MeasuredBackends } from "../ml/backend-names";

const STORAGE_KEY = "mome-lab:measured-backends";

interface Kept {
  version: string;
  gpu: string;
  measured: MeasuredBackends;
}

/** What this browser says of its GPU: the WebGPU adapter and the WebGL renderer ("" for none). */
export async function gpuFingerprint(): Promise<string> {
  const parts: string[] = [];
  try {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    const adapter = (await gpu?.requestAdapter()) as { info?: Record<string, string> } | null;
    const info = adapter?.info ?? {};
    parts.push(
      ["vendor", "architecture", "device", "description"].map((k) => info[k] ?? "").join("/"),
    );
  } catch {
    parts.push("");
  }
  try {
    const gl = document.createElement("canvas").getContext("webgl");
    const debug = gl?.getExtension("WEBGL_debug_renderer_info");
    parts.push(debug ? String(gl?.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : "");
    gl?.getExtension("WEBGL_lose_context")?.loseContext();
  } catch {
    parts.push("");
  }
  return parts.join(" | ");
}

const isMeasured = (value: unknown): value is MeasuredBackends => {
  const m = value as MeasuredBackends | null;
  const known = (name: unknown) => (BACKENDS as readonly unknown[]).includes(name);
  return (
    typeof m === "object" &&
    m !== null &&
    known(m.generation) &&
    known(m.training) &&
    Array.isArray(m.speeds) &&
    m.speeds.every(
      (s) =>
        known(s.backend) &&
        Number.isFinite(s.generationTokensPerSec) &&
        Number.isFinite(s.trainingTokensPerSec),
    ) &&
    Array.isArray(m.skipped)
  );
};

/** The measurement kept for this version of the app and this GPU, if any. */
export function keptMeasurement(gpu: string): MeasuredBackends | null {
  try {
    const kept = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as Kept | null;
    if (kept?.version !== version || kept.gpu !== gpu) return null;
    return isMeasured(kept.measured) ? kept.measured : null;
  } catch {
    return null;
  }
}

export function keepMeasurement(gpu: string, measured: MeasuredBackends): void {
  const kept: Kept = { version: version, gpu, measured };
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(kept));
  } catch {
    // Storage refused (a private window): the next visit measures again.
  }
}

/**
 * The measured figures, fastest first: { generation: "WASM 148, WEBGPU 40", training: … } in
 * tokens per second, numbers written the `language`'s way.
 */
export function measuredFigures(
  measured: MeasuredBackends,
  language = "en",
): { generation: string; training: string } {
  const of = (rate: (s: BackendSpeed) => number) =>
    [...measured.speeds]
      .sort((a, b) => rate(b) - rate(a))
      .map((s) => `${s.backend.toUpperCase()} ${Math.round(rate(s)).toLocaleString(language)}`)
      .join(", ");
  return {
    generation: of((s) => s.generationTokensPerSec),
    training: of((s) => s.trainingTokensPerSec),
  };
}
