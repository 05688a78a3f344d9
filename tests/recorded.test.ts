/** Recorded runs: the shipped file matches the lessons it draws on, and the recorder runs the lanes. */
import { readFile } from "node:fs/promises";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { lessonSettings, RECORDED_FILE, recordForgetting, recordRace } from "../scripts/recorded";
import { decodeLanes, laneLabels } from "../src/app/race";
import { parseRecorded, recordedRace } from "../src/app/recorded";
import { trainBpe } from "../src/ml/bpe-trainer";
import { GPT } from "../src/ml/gpt";
import { LANGUAGES, type Language } from "../src/ml/languages";
import { BROWSER_TRAIN } from "../src/ml/presets";
import { trainRouter } from "../src/ml/router";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { ALL_TEXT, TINY_CORPORA } from "./fixtures";
import { TINY, useBackend } from "./helpers";

describe("the shipped recorded runs (public/recorded/lessons.json)", () => {
  it("are the runs the lessons set up: same lanes, corpus, steps, seed and batch", async () => {
    const file = parseRecorded(JSON.parse(await readFile(RECORDED_FILE, "utf8")));
    const titles = ["teacher-helps", "alpha-race"] as const;
    expect(file.races).toHaveLength(titles.length);
    for (const [i, title] of titles.entries()) {
      const race = lessonSettings(title);
      expect(race.recorded).toBe("on");
      expect(file.races[i]).toMatchObject({
        race: race.race,
        corpus: race.corpus,
        steps: race.steps,
        seed: race.seed,
        batchSize: race.batch,
      });
      expect(recordedRace(file, race.race)).toBe(file.races[i]);
      const lanes = file.races[i].lanes;
      expect(lanes.map((l) => l.label)).toEqual(laneLabels(decodeLanes(race.race).lanes));
      for (const lane of lanes) {
        expect(lane.metrics.map((m) => m.step)).toEqual(
          Array.from({ length: race.steps }, (_, k) => k + 1),
        );
        expect(lane.metrics.some((m) => m.valPerplexity !== undefined)).toBe(true);
      }
      expect(race.steps).toBe(BROWSER_TRAIN.defaultSteps);
    }
    const forgetting = lessonSettings("forgetting");
    expect(file.forgetting).toMatchObject({
      stepsPerPhase: forgetting.forgetSteps,
      seed: forgetting.seed,
    });
    expect(file.forgetting.result.sequential).toHaveLength(LANGUAGES.length);
  });

  it("refuses a file of another shape", () => {
    expect(() => parseRecorded({ format: "mome-recorded", version: 1 })).toThrow(
      "recorded/lessons.json is not a MoME Lab recorded-runs file",
    );
  });
});

describe("the recorder, on tiny models", () => {
  const tokenizer = new BpeTokenizer(trainBpe(ALL_TEXT, { vocabSize: 300 }));
  const texts = Object.fromEntries(
    LANGUAGES.map((l) => [l, `${TINY_CORPORA[l].join("\n\f\n")}\n`.repeat(6)]),
  ) as Record<Language, string>;
  beforeAll(() => useBackend("wasm"));

  it("trains the race's lanes in lock-step for every step, leaving no tensors", async () => {
    const teacher = GPT.create({ ...TINY, vocabSize: 300, contextLength: BROWSER_TRAIN.seqLen }, 5);
    const before = tf.memory().numTensors;
    const settings = { ...lessonSettings("alpha-race"), steps: 3 };
    const race = await recordRace(settings, texts, tokenizer, teacher);
    expect(race.lanes.map((l) => l.metrics.map((m) => m.step))).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    // Fixed α stays at 0.5; the adaptive lane's α is the paper's rule (0.5 while both fall).
    expect(race.lanes[0].metrics.every((m) => m.alpha === 0.5)).toBe(true);
    expect(race.lanes.flatMap((l) => l.metrics).every((m) => Number.isFinite(m.total))).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    teacher.dispose();
  });

  it("runs the forgetting lesson's experiment: four phases of each kind", async () => {
    const router = trainRouter(
      LANGUAGES.flatMap((label) =>
        TINY_CORPORA[label].map((text) => ({ ids: tokenizer.encode(text), text, label })),
      ),
      { kind: "logreg", vocabSize: tokenizer.vocabSize, seed: 1 },
    );
    const settings = { ...lessonSettings("forgetting"), forgetSteps: 2 };
    const { result, stepsPerPhase } = await recordForgetting(settings, texts, tokenizer, router);
    expect(stepsPerPhase).toBe(2);
    expect([result.sequential.length, result.balanced.length]).toEqual([4, 4]);
    expect(Object.keys(result.moe).sort()).toEqual([...LANGUAGES].sort());
  });
});
