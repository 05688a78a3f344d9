import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { describe, expect, inject, it } from "vitest";
import { fileReader } from "../scripts/node-io";
import { selectBackend } from "../src/ml/backend";
import { parseManifest, verifiedReader } from "../src/ml/manifest";
import { EXPERT_CONFIG } from "../src/ml/presets";
import { loadGpt } from "../src/ml/weights";
import { openPage, useBrowser } from "./browser";

const MODELS = join(import.meta.dirname, "..", "public", "models");
const IDS = [1, 40, 300, 1200, 77, 2049, 3];

/** The first shipped GPT, loaded in Node from the manifest, and its logits for IDS. */
async function nodeLogits(): Promise<{ name: string; logits: Float32Array }> {
  const manifest = parseManifest(JSON.parse(readFileSync(join(MODELS, "manifest.json"), "utf8")));
  const artifact = manifest.artifacts.find((a) => a.kind === "gpt");
  if (!artifact) throw new Error("public/models ships no GPT model");
  await selectBackend(["wasm"]);
  const model = await loadGpt(verifiedReader(fileReader(MODELS), artifact), `${artifact.name}/`);
  const logits = model
    .forward(tf.tensor2d(IDS, [1, IDS.length], "int32"))
    .dataSync() as Float32Array;
  model.dispose();
  return { name: artifact.name, logits };
}

describe("shipped weights in the browser", () => {
  const browser = useBrowser();

  it.each([
    ["wasm", 0],
    ["webgpu", 1e-3],
  ])("give the logits Node computes (%s, tolerance %s)", async (backend, tolerance) => {
    const expected = await nodeLogits();
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=${backend}`);
    const got = await page.evaluate(
      async ({ name, ids }) => {
        const lab = (
          globalThis as unknown as {
            momeLab: {
              models: {
                api: {
                  loadModel(u: string, n: string): Promise<unknown>;
                  logits(n: string, i: number[]): Promise<Float32Array>;
                };
              };
            };
          }
        ).momeLab;
        await lab.models.api.loadModel(new URL("models/", document.baseURI).href, name);
        return Array.from(await lab.models.api.logits(name, ids));
      },
      { name: expected.name, ids: IDS },
    );
    expect(got.length).toBe(expected.logits.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++)
      worst = Math.max(worst, Math.abs(got[i] - expected.logits[i]));
    expect(worst).toBeLessThanOrEqual(tolerance);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("FastDecoder in the browser", () => {
  const browser = useBrowser();

  // A model of a student's shape, its weights drawn from a seed: relative |Δ| / max(1, |logit|).
  it.each([
    ["wasm", 1e-5],
    ["webgpu", 1e-5],
  ])(
    "gives the forward's logits and tokens on %s (within %s), in its SIMD kernel",
    async (backend, bound) => {
      const { page, errors } = await openPage(browser());
      await page.goto(`${inject("baseUrl")}?backend=${backend}`);
      const agreement = await page.evaluate(
        async ({ backend, config }) =>
          (
            globalThis as unknown as {
              momeLab: {
                bench: () => {
                  api: {
                    decodingAgreement(
                      b: string,
                      c: unknown,
                    ): Promise<{ worst: number; sameTokens: boolean; simd: boolean }>;
                  };
                };
              };
            }
          ).momeLab
            .bench()
            .api.decodingAgreement(backend, config),
        { backend, config: EXPERT_CONFIG },
      );
      expect(agreement.simd).toBe(true);
      expect(agreement.worst).toBeLessThanOrEqual(bound);
      expect(agreement.sameTokens).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    },
  );
});
