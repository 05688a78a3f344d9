import { beforeAll, describe, expect, it } from "vitest";
import { continuedRun } from "../scripts/stages/train-model";
import {
  type CheckpointStore,
  checkpointedRun,
  loadCheckpoint,
  serializeCheckpoint,
} from "../src/ml/checkpoint";
import { GPT } from "../src/ml/gpt";
import type { KdLoss, LossMode } from "../src/ml/kd-options";
import { DEFAULT_TRAIN_CONFIG } from "../src/ml/presets";
import {
  learningRateAt,
  type StepMetrics,
  type TrainConfig,
  TrainControl,
  train,
} from "../src/ml/train";
import { TINY, useBackend } from "./helpers";

/** Every metric a run yields. */
async function collect(run: AsyncIterable<StepMetrics>): Promise<StepMetrics[]> {
  const out: StepMetrics[] = [];
  for await (const m of run) out.push(m);
  return out;
}

const corpus = Int32Array.from({ length: 500 }, (_, i) => 3 + ((i * 7) % 50));
const base: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG,
  steps: 8,
  batchSize: 2,
  seqLen: 8,
  evalEvery: 0,
};

async function run(config: TrainConfig, teacherSeed?: number, control?: TrainControl) {
  const student = GPT.create(TINY, 1);
  const teacher = teacherSeed === undefined ? undefined : GPT.create(TINY, teacherSeed);
  const out: StepMetrics[] = [];
  for await (const s of train(student, { train: corpus }, config, { teacher, control })) {
    out.push(s);
    if (control && s.step === 3) control.stop();
  }
  student.dispose();
  teacher?.dispose();
  return out;
}

const kd = (loss: KdLoss, mode: LossMode = "combined") => ({
  loss,
  temperature: 2,
  alpha: { kind: "fixed" as const, alpha: 0.3 },
  mode,
});

describe("training loop", () => {
  beforeAll(() => useBackend("wasm"));

  it("is repeatable with a seed and changes with another", async () => {
    const a = await run(base);
    const b = await run(base);
    const c = await run({ ...base, seed: 5 });
    expect(a.map((m) => m.ce)).toEqual(b.map((m) => m.ce));
    expect(a.map((m) => m.ce)).not.toEqual(c.map((m) => m.ce));
  });

  it("reports CE only, α = 1, without a teacher", async () => {
    const [first] = await run(base);
    expect(first).toMatchObject({ step: 1, kd: null, alpha: 1, beta: 0 });
    expect(first.total).toBeCloseTo(first.ce, 6);
    expect(first.tokensPerSec).toBeGreaterThan(0);
  });

  it.each(["forward", "paper-inverse", "reverse"] as const)(
    "distils with %s KL: total = α·CE + β·KD",
    async (loss) => {
      const metrics = await run({ ...base, kd: kd(loss) }, 9);
      for (const m of metrics) {
        expect(m.alpha).toBe(0.3);
        expect(m.total).toBeCloseTo(0.3 * m.ce + 0.7 * (m.kd as number), 4);
      }
    },
  );

  it("alternates CE-only and KD-only steps", async () => {
    const metrics = await run({ ...base, kd: kd("forward", "alternating") }, 9);
    expect(metrics.map((m) => m.alpha)).toEqual([1, 0, 1, 0, 1, 0, 1, 0]);
    expect(metrics[1].total).toBeCloseTo(metrics[1].kd as number, 5);
  });

  it("can be stopped, and paused then resumed", async () => {
    expect(await run(base, undefined, new TrainControl())).toHaveLength(3);

    const control = new TrainControl();
    const student = GPT.create(TINY, 1);
    const iterator = train(student, { train: corpus }, base, { control });
    await iterator.next();
    control.pause();
    let resolved = false;
    const pending = iterator.next().then((r) => {
      resolved = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(resolved).toBe(false);
    control.resume();
    expect((await pending).value?.step).toBe(2);
    control.stop();
    expect((await iterator.next()).done).toBe(true);
    student.dispose();
  });

  it("hears a stop sent as a message (a macrotask) while it runs, as a worker would", async () => {
    const control = new TrainControl();
    const student = GPT.create(TINY, 1);
    setTimeout(() => control.stop(), 0);
    const metrics = [];
    for await (const m of train(student, { train: corpus }, { ...base, steps: 50 }, { control }))
      metrics.push(m);
    expect(metrics.length).toBeLessThan(50);
    student.dispose();
  });

  it("resumes from a checkpoint exactly where an uninterrupted run would be", async () => {
    const config = { ...base, steps: 8 };
    const straight = await run(config);

    const first = GPT.create(TINY, 1);
    let saved: Map<string, Uint8Array> | undefined;
    const control = new TrainControl();
    const firstHalf = [];
    const options = {
      control,
      checkpointEvery: 4,
      onCheckpoint: async (state: Parameters<typeof serializeCheckpoint>[1]) => {
        saved = await serializeCheckpoint(first, state, { note: "half-way" });
      },
    };
    for await (const m of train(first, { train: corpus }, config, options)) {
      firstHalf.push(m);
      if (m.step === 4) control.stop();
    }
    first.dispose();
    expect(firstHalf).toHaveLength(4);

    const files = saved as Map<string, Uint8Array>;
    const restored = await loadCheckpoint(async (p) => files.get(p) as Uint8Array);
    expect(restored.meta).toEqual({ note: "half-way" });
    expect(restored.state.step).toBe(4);
    const secondHalf = [];
    for await (const m of train(restored.model, { train: corpus }, config, {
      resume: restored.state,
    }))
      secondHalf.push(m);
    restored.model.dispose();
    for (const t of restored.state.optimizer) t.tensor.dispose();
    expect(secondHalf.map((m) => m.step)).toEqual([5, 6, 7, 8]);
    const resumed = [...firstHalf, ...secondHalf].map((m) => m.ce);
    for (const [i, ce] of straight.map((m) => m.ce).entries())
      expect(resumed[i]).toBeCloseTo(ce, 5);
  });

  it("continues shorter runs' checkpoints only when told to, and keeps them on record", async () => {
    let files: Map<string, Uint8Array> | undefined;
    const store: CheckpointStore = {
      where: "memory",
      load: async () => (files ? loadCheckpoint(async (p) => files?.get(p) as Uint8Array) : null),
      save: async (model, state, meta) => {
        files = await serializeCheckpoint(model, state, meta);
      },
    };
    const settings = (steps: number) => ({ train: { ...base, steps } });
    /** Trains a run to its end; returns where it resumed, its settings and the steps it trained. */
    const runTo = async (steps: number, continues?: { from: unknown; as: unknown }) => {
      const run = await checkpointedRun(
        store,
        settings(steps),
        () => GPT.create(TINY, 1),
        2,
        undefined,
        continues,
      );
      const trained = [];
      for await (const m of train(
        run.model,
        { train: corpus },
        settings(steps).train,
        run.trainOptions,
      ))
        trained.push(m.step);
      run.model.dispose();
      run.release();
      return { resumedAt: run.resumedAt, settings: run.settings, trained };
    };
    await runTo(4);
    await expect(runTo(6)).rejects.toThrow(/other settings/);
    await expect(runTo(6, continuedRun(settings(6), [5]))).rejects.toThrow(/other settings/);

    const second = await runTo(6, continuedRun(settings(6), [4]));
    expect(second).toEqual({
      resumedAt: 4,
      settings: { ...settings(6), extendedFrom: [4] },
      trained: [5, 6],
    });
    // A third run continues the second, with both on record.
    const third = await runTo(8, continuedRun(settings(8), [4, 6]));
    expect(third).toEqual({
      resumedAt: 6,
      settings: { ...settings(8), extendedFrom: [4, 6] },
      trained: [7, 8],
    });
    // Its checkpoints are written as the third run, so a stopped one resumes as such.
    expect((await runTo(8, continuedRun(settings(8), [4, 6]))).resumedAt).toBe(8);
  });

  it("refuses bad settings before training", async () => {
    await expect(run({ ...base, seqLen: 99 })).rejects.toThrow(/exceeds the model's context/);
    await expect(run({ ...base, learningRate: 0 })).rejects.toThrow(/learningRate/);
    await expect(run({ ...base, kd: kd("forward") })).rejects.toThrow(/needs a teacher/);
    await expect(run({ ...base, steps: 1.5 })).rejects.toThrow(/steps must be an integer/);
  });

  it("warms up, then decays the learning rate to 10 %", () => {
    const c = { ...base, steps: 110, warmupSteps: 10, learningRate: 1 };
    expect(learningRateAt(c, 0)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(c, 9)).toBeCloseTo(1, 12);
    expect(learningRateAt(c, 60)).toBeCloseTo(0.55, 12);
    expect(learningRateAt(c, 110)).toBeCloseTo(0.1, 12);
  });

  it("applies live knobs from the next step: learning rate, fixed α and temperature", async () => {
    const student = GPT.create(TINY, 3);
    const teacher = GPT.create({ ...TINY, dModel: 32 }, 4);
    const control = new TrainControl();
    const config: TrainConfig = {
      ...base,
      steps: 6,
      warmupSteps: 0,
      kd: {
        loss: "forward",
        temperature: 2,
        alpha: { kind: "fixed", alpha: 0.5 },
        mode: "combined",
      },
    };
    const seen: StepMetrics[] = [];
    for await (const m of train(student, { train: corpus }, config, { teacher, control })) {
      seen.push(m);
      if (m.step === 3) control.knobs = { learningRate: 2 * config.learningRate, alpha: 0.2 };
    }
    expect(seen.map((m) => m.alpha)).toEqual([0.5, 0.5, 0.5, 0.2, 0.2, 0.2]);
    expect(seen[3].learningRate / learningRateAt(config, 3)).toBeCloseTo(2, 6);
    // The temperature knob changes the KD value of the same batch.
    const kdAt = async (temperature?: number) => {
      const s = GPT.create(TINY, 3);
      const c = new TrainControl();
      if (temperature) c.knobs = { temperature };
      const one = { ...config, steps: 1 };
      const [m] = await collect(train(s, { train: corpus }, one, { teacher, control: c }));
      s.dispose();
      return m.kd as number;
    };
    expect(await kdAt(0.5)).not.toBe(await kdAt());
    student.dispose();
    teacher.dispose();
  });

  it("gives runs of one seed the same aligned batches, with or without a teacher", async () => {
    const teacher = GPT.create({ ...TINY, dModel: 32 }, 4);
    const firstCe = async (kd: TrainConfig["kd"]) => {
      const s = GPT.create(TINY, 3);
      const [m] = await collect(
        train(s, { train: corpus }, { ...base, steps: 1, kd }, { teacher, alignedWindows: true }),
      );
      s.dispose();
      return m.ce;
    };
    const kd = {
      loss: "forward" as const,
      temperature: 2,
      alpha: { kind: "adaptive" as const },
      mode: "combined" as const,
    };
    expect(await firstCe(kd)).toBeCloseTo(await firstCe(undefined), 6);
    teacher.dispose();
  });
});
