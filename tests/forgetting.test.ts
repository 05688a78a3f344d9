import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { forgettingCaption, parseExperiments } from "../src/app/tabs/forgetting/forgetting";
import { trainBpe } from "../src/ml/bpe-trainer";
import { encodeCorpus } from "../src/ml/data";
import {
  type ExperimentSettings,
  type ForgettingResult,
  forgetting,
  forgettingSteps,
  type LanguageStreams,
} from "../src/ml/experiments";
import { LANGUAGES } from "../src/ml/languages";
import { DEFAULT_TRAIN_CONFIG } from "../src/ml/presets";
import { trainRouter } from "../src/ml/router";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { TrainControl } from "../src/ml/train";
import { ALL_TEXT, TINY_CORPORA } from "./fixtures";
import { TINY, useBackend } from "./helpers";

const tokenizer = new BpeTokenizer(trainBpe(ALL_TEXT, { vocabSize: 300 }));
const data = { train: {}, val: {} } as LanguageStreams;
for (const lang of LANGUAGES) {
  const tokens = encodeCorpus(tokenizer, `${TINY_CORPORA[lang].join("\n\f\n")}\n`.repeat(3));
  data.train[lang] = tokens;
  data.val[lang] = tokens;
}
const router = trainRouter(
  LANGUAGES.flatMap((label) =>
    TINY_CORPORA[label].map((text) => ({ ids: tokenizer.encode(text), text, label })),
  ),
  { kind: "logreg", vocabSize: tokenizer.vocabSize, seed: 1 },
);
const settings: ExperimentSettings = {
  student: { ...TINY, vocabSize: tokenizer.vocabSize },
  train: { ...DEFAULT_TRAIN_CONFIG, steps: 2, batchSize: 2, seqLen: 8, evalEvery: 0 },
  languages: LANGUAGES,
  evalBatches: 1,
};

describe("the forgetting experiment, as the Forgetting tab runs it", () => {
  beforeAll(() => useBackend("wasm"));

  it("reports every step and the tables phase by phase, and leaves no tensors behind", async () => {
    const before = tf.memory().numTensors;
    const phases: ForgettingResult[] = [];
    let steps = 0;
    const result = await forgetting(data, settings, router, {
      progress: () => {
        steps++;
      },
      onPhase: (partial) => phases.push(partial),
    });
    expect(steps).toBe(forgettingSteps(settings));
    // 4 sequential phases, 4 balanced quarters, then the experts.
    expect(phases.map((p) => [p.sequential.length, p.balanced.length])).toEqual([
      [1, 0],
      [2, 0],
      [3, 0],
      [4, 0],
      [4, 1],
      [4, 2],
      [4, 3],
      [4, 4],
      [4, 4],
    ]);
    expect(Object.keys(result.moe)).toEqual([...LANGUAGES]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("stops between steps, with the phases done so far", async () => {
    const before = tf.memory().numTensors;
    const control = new TrainControl();
    let steps = 0;
    const result = await forgetting(data, settings, router, {
      control,
      progress: () => {
        if (++steps === 3) control.stop();
      },
    });
    expect(result.sequential).toHaveLength(1);
    expect(result.balanced).toHaveLength(0);
    expect(result.moe).toEqual({});
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("the Forgetting tab's caption", () => {
  it("reads how far each language rose after its own phase, against balanced and experts", () => {
    const result: ForgettingResult = {
      order: ["en", "fr", "de", "py"],
      sequential: [
        { en: 100, fr: 400, de: 400, py: 400 },
        { en: 300, fr: 100, de: 400, py: 400 },
        { en: 250, fr: 200, de: 100, py: 400 },
        { en: 200, fr: 150, de: 300, py: 100 },
      ],
      balanced: [
        { en: 200, fr: 200, de: 200, py: 200 },
        { en: 150, fr: 150, de: 150, py: 150 },
      ],
      moe: { en: 90, fr: 95, de: 99, py: 98 },
      seconds: 1,
    };
    expect(forgettingCaption(result)).toBe(
      "Trained in sequence, the student forgot: English perplexity went from 100 after the English phase to 300 while it learned the next languages (×3.0; ×2.7 on average over English, French, German). With balanced batches, English went 200 → 150, and the English expert behind the router stays at 90: experts are trained apart, so nothing overwrites them.",
    );
    expect(forgettingCaption({ ...result, moe: {} })).toBeNull();
  });
});

describe("the reproduced studies the app charts", () => {
  it("reads public/results/experiments.json and refuses a file of another shape", async () => {
    const { readFile } = await import("node:fs/promises");
    const json = JSON.parse(await readFile("public/results/experiments.json", "utf8"));
    const file = parseExperiments(json);
    expect(Object.keys(file.moe.result.routed)).toEqual(["ple", "jeet", "moeCe"]);
    expect(file.forgetting.result.sequential).toHaveLength(4);
    expect(() => parseExperiments({ ...json, version: 2 })).toThrow(/experiments file/);
    const broken = structuredClone(json);
    broken.moe.result.routed.ple.en = "NaN";
    expect(() => parseExperiments(broken)).toThrow(/experiments file/);
  });
});

describe("a language added from one's own text", () => {
  it("gets a class id from its name, refusing names the router has or can't use", async () => {
    const { languageId } = await import("../src/app/tabs/add-language/add-language");
    expect(languageId("Português")).toEqual({ id: "portugues" });
    expect(languageId("Klingon 2")).toEqual({ id: "klingon2" });
    expect(languageId("French")).toEqual({ id: "french" });
    expect(languageId("FR")).toMatchObject({ problem: expect.stringMatching(/already has/) });
    expect(languageId("42")).toMatchObject({
      problem: expect.stringMatching(/starts with a letter/),
    });
    expect(languageId("")).toMatchObject({ problem: expect.any(String) });
  });
});
