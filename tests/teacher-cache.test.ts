import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { teacherCacheFile } from "../scripts/node-io";
import { alignedBatch } from "../src/ml/data";
import { batchTensors, flatLogits } from "../src/ml/evaluate";
import { FastDecoder } from "../src/ml/fast-decode";
import { GPT } from "../src/ml/gpt";
import { KD_LOSSES } from "../src/ml/kd-options";
import { kdLoss } from "../src/ml/losses";
import { DEFAULT_TRAIN_CONFIG } from "../src/ml/presets";
import { TeacherCache, type TeacherThread, teacherStates } from "../src/ml/teacher-cache";
import { train } from "../src/ml/train";
import { TINY, useBackend } from "./helpers";

const corpus = Int32Array.from({ length: 400 }, (_, i) => 3 + ((i * 11) % 60));
const kdConfig = (loss: (typeof KD_LOSSES)[number], steps: number) => ({
  ...DEFAULT_TRAIN_CONFIG,
  steps,
  batchSize: 4,
  seqLen: 8,
  evalEvery: 0,
  kd: {
    loss,
    temperature: 2,
    alpha: { kind: "fixed" as const, alpha: 0.5 },
    mode: "combined" as const,
  },
});

describe("teacher cache", () => {
  beforeAll(() => useBackend("cpu"));

  it("gives the teacher's exact logits for its windows, runs it once per window, and survives a round trip", async () => {
    const teacher = GPT.create({ ...TINY, tiedHead: false }, 5);
    const cache = new TeacherCache(teacher, corpus, 8);
    expect(cache.windows).toBe(Math.floor(399 / 8));
    expect(await cache.fill([3, 7, 3])).toBe(2);
    expect(await cache.fill([7, 3])).toBe(0);
    expect(cache.filledWindows).toBe(2);

    const cached = cache.logits([7, 3]);
    const direct = flatLogits(teacher, batchTensors(alignedBatch(corpus, 8, [7, 3])).inputs);
    expect(cached.shape).toEqual([16, TINY.vocabSize]);
    expect(tf.max(tf.abs(cached.sub(direct))).dataSync()[0]).toBeLessThan(1e-5);
    expect(() => cache.logits([0])).toThrow(/window 0 is not filled/);

    const restored = new TeacherCache(teacher, corpus, 8);
    expect(restored.loadBytes(cache.toBytes("teacher-a"), "teacher-b")).toBe(false);
    expect(restored.loadBytes(cache.toBytes("teacher-a"), "teacher-a")).toBe(true);
    expect(restored.filledWindows).toBe(2);
    expect(Array.from(restored.logits([3]).dataSync())).toEqual(
      Array.from(cache.logits([3]).dataSync()),
    );
    const otherWindows = new TeacherCache(teacher, corpus, 4);
    expect(otherWindows.loadBytes(cache.toBytes("teacher-a"), "teacher-a")).toBe(false);
    teacher.dispose();
  });

  it("gives every KD loss the value the teacher run directly gives", async () => {
    const teacher = GPT.create({ ...TINY, dModel: 32 }, 6);
    const student = GPT.create(TINY, 7);
    const cache = new TeacherCache(teacher, corpus, 8);
    const windows = [1, 5, 9];
    await cache.fill(windows);
    const t = batchTensors(cache.batch(windows));
    const logits = flatLogits(student, t.inputs);
    for (const loss of KD_LOSSES) {
      const fromCache = kdLoss(loss, logits, cache.logits(windows), t.mask, 2).dataSync()[0];
      const direct = kdLoss(loss, logits, flatLogits(teacher, t.inputs), t.mask, 2).dataSync()[0];
      expect(fromCache, loss).toBeCloseTo(direct, 5);
    }
    teacher.dispose();
    student.dispose();
  });

  it("distils from the cache: losses fall, tensors stay flat, and another stream is refused", async () => {
    const teacher = GPT.create({ ...TINY, dModel: 32 }, 6);
    const student = GPT.create(TINY, 7);
    const cache = new TeacherCache(teacher, corpus, 8);
    const before = tf.memory().numTensors;
    const totals: number[] = [];
    for await (const m of train(student, { train: corpus }, kdConfig("forward", 20), {
      teacher,
      teacherCache: cache,
    }))
      totals.push(m.total);
    expect(tf.memory().numTensors).toBe(before);
    expect(cache.filledWindows).toBeGreaterThan(0);
    expect(cache.filledWindows).toBeLessThanOrEqual(Math.min(cache.windows, 20 * 4));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(totals.slice(-5))).toBeLessThan(mean(totals.slice(0, 5)));
    const other = new Int32Array(corpus);
    await expect(async () => {
      for await (const _ of train(student, { train: other }, kdConfig("forward", 2), {
        teacher,
        teacherCache: cache,
      })) {
      }
    }).rejects.toThrow(/another stream/);
    teacher.dispose();
    student.dispose();
  });
  it("trains the same curve when the teacher works on a thread of its own (logits a step ahead)", async () => {
    const teacher = GPT.create({ ...TINY, dModel: 32 }, 6);
    const decoder = await FastDecoder.of(teacher);
    const asked: number[] = [];
    // What the training worker's thread does, here on this one: states and logits by FastDecoder.
    const thread: TeacherThread = {
      states: teacherStates(teacher),
      logits: async (hidden, rows) => {
        asked.push(rows);
        return decoder.project(hidden, rows);
      },
    };
    const curve = async (cache: TeacherCache) => {
      const student = GPT.create(TINY, 7);
      const totals: number[] = [];
      const before = tf.memory().numTensors;
      for await (const m of train(student, { train: corpus }, kdConfig("forward", 12), {
        teacher,
        teacherCache: cache,
      }))
        totals.push(m.total);
      expect(tf.memory().numTensors).toBe(before);
      student.dispose();
      return totals;
    };
    const here = await curve(new TeacherCache(teacher, corpus, 8));
    const elsewhere = await curve(new TeacherCache(teacher, corpus, 8, thread));
    // Every step's logits came from the thread: 12 steps of 4 windows of 8 positions.
    expect(asked).toEqual(Array(12).fill(32));
    for (const [i, total] of here.entries())
      expect(elsewhere[i], `step ${i}`).toBeCloseTo(total, 5);
    teacher.dispose();
  });

  it("keeps a cache on disk and restores it, unless it is over the size limit", async () => {
    const teacher = GPT.create({ ...TINY, tiedHead: false }, 5);
    const dir = mkdtempSync(join(tmpdir(), "mome-cache-"));
    writeFileSync(join(dir, "model.json"), "{}");
    const file = join(mkdtempSync(join(tmpdir(), "mome-cache-file-")), "cache.bin");
    const first = await teacherCacheFile(teacher, dir, corpus, { seqLen: 8, file, maxBytes: 64 });
    await first.cache.fill([1, 2]);
    await first.save();
    expect(existsSync(file)).toBe(false);

    const second = await teacherCacheFile(teacher, dir, corpus, { seqLen: 8, file });
    await second.cache.fill([1, 2]);
    await second.save();
    const third = await teacherCacheFile(teacher, dir, corpus, { seqLen: 8, file });
    expect(third.restored).toBe(2);
    teacher.dispose();
  });
});
