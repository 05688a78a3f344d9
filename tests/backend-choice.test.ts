import { afterEach, describe, expect, it, vi } from "vitest";
import { version } from "../package.json";
import { keepMeasurement, keptMeasurement, measuredFigures } from "../src/app/backend-choice";
import { fastestBackends, type MeasuredBackends } from "../src/ml/backend-names";

const MEASURED: MeasuredBackends = {
  generation: "wasm",
  training: "webgpu",
  speeds: [
    { backend: "webgpu", generationTokensPerSec: 41.2, trainingTokensPerSec: 9100 },
    { backend: "wasm", generationTokensPerSec: 148.4, trainingTokensPerSec: 2296.4 },
  ],
  skipped: [{ name: "webgl", ok: false, reason: "WebGL is not available in this browser" }],
};

describe("the backend chosen by measurement", () => {
  it("picks the fastest backend for generation and for training, each on its own", () => {
    expect(fastestBackends(MEASURED.speeds)).toEqual({ generation: "wasm", training: "webgpu" });
    expect(
      fastestBackends([{ backend: "wasm", generationTokensPerSec: 1, trainingTokensPerSec: 1 }]),
    ).toEqual({ generation: "wasm", training: "wasm" });
    expect(fastestBackends([])).toBeNull();
  });

  it("states the figures, fastest first", () => {
    expect(measuredFigures(MEASURED)).toEqual({
      generation: "WASM 148, WEBGPU 41",
      training: "WEBGPU 9,100, WASM 2,296",
    });
    expect(measuredFigures(MEASURED, "de").training).toBe("WEBGPU 9.100, WASM 2.296");
  });
});

describe("the kept measurement", () => {
  const items = new Map<string, string>();
  const stubStorage = () =>
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => items.set(key, value),
    });
  afterEach(() => {
    items.clear();
    vi.unstubAllGlobals();
  });

  it("is used on this GPU and app version, and measured again when either changes", () => {
    stubStorage();
    const gpu = "nvidia/ampere/0x2204/ | ANGLE (NVIDIA)";
    expect(keptMeasurement(gpu)).toBeNull();
    keepMeasurement(gpu, MEASURED);
    expect(keptMeasurement(gpu)).toEqual(MEASURED);
    expect(keptMeasurement("intel/gen-12lp// | ANGLE (Intel)")).toBeNull();
    const [key, value] = [...items][0];
    items.set(key, value.replace(`"version":"${version}"`, '"version":"0.0.1"'));
    expect(keptMeasurement(gpu)).toBeNull();
  });

  it("reads nothing from damaged or hostile storage", () => {
    stubStorage();
    const gpu = "";
    keepMeasurement(gpu, MEASURED);
    const [key, value] = [...items][0];
    for (const damaged of [
      "{not json",
      value.replace('"generation":"wasm"', '"generation":"evil"'),
      value.replace("148.4", '"fast"'),
      JSON.stringify({ version, gpu, measured: null }),
    ]) {
      items.set(key, damaged);
      expect(keptMeasurement(gpu)).toBeNull();
    }
  });

  it("measures on every visit where storage is refused", () => {
    vi.stubGlobal("localStorage", {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    });
    expect(() => keepMeasurement("", MEASURED)).not.toThrow();
    expect(keptMeasurement("")).toBeNull();
  });
});
