/**
 * The training loop, as an async iterator of per-step metrics. Trains a student by next-token CE,
 * or by distillation from a teacher with total = α·CE + β·KD (see alpha.ts for α and β).
 * Seeded: the same seed, data and settings give the same metrics.
 */
import * as tf from "@tensorflow/tfjs";
import { appliedWeights, createAlphaSchedule } from "./alpha";
import { alignedBatch, alignedWindowCount, sampleBatch } from "./data";
import { batchTensors, evaluate, flatLogits } from "./evaluate";
import type { LanguageModel } from "./gpt";
import { crossEntropy, kdLoss } from "./losses";
import { ProblemError } from "./problems";
import { createRng, type Rng } from "./random";
import type { TeacherCache } from "./teacher-cache";
import type { TrainConfig } from "./train-config";

export type { TrainConfig };

/** Steps of windows asked of the teacher cache ahead of training (see prefetch below). */
const TEACHER_LOOKAHEAD_STEPS = 8;

export interface StepMetrics {
  step: number; // 1-based
  ce: number;
  kd: number | null;
  total: number;
  alpha: number;
  beta: number;
  learningRate: number;
  tokensPerSec: number;
  /** Present on validation steps. */
  valLoss?: number;
  valPerplexity?: number;
}

/** Where a run stands, to resume it exactly: step, batch sampler and Adam moments (in variable order). */
export interface TrainState {
  step: number;
  rngState: number;
  optimizer: { name: string; tensor: tf.Tensor }[];
}

export interface TrainOptions {
  teacher?: LanguageModel;
  /**
   * The teacher's hidden states for `data.train` (one stream): distillation then samples aligned
   * windows and takes the teacher's logits from the cache, running the teacher only on new windows.
   */
  teacherCache?: TeacherCache;
  control?: TrainControl;
  /** Continue a run from a saved state (the tensors are copied; the caller still owns them). */
  resume?: TrainState;
  /** Called every `checkpointEvery` steps and after the last one; its tensors live only during the call. */
  onCheckpoint?: (state: TrainState) => Promise<void>;
  checkpointEvery?: number;
  /**
   * Sample aligned windows (window w starts at token w·seqLen), as a teacher cache does: runs that
   * share a seed and a stream then train on the same batches, with or without a teacher.
   */
  alignedWindows?: boolean;
}

/** Settings a user may change while a run trains; each applies from the next step. */
export interface LiveKnobs {
  /** The peak learning rate (the warm-up and decay schedule scales it). */
  learningRate?: number;
  /** α of a fixed-α run (β = 1 − α). */
  alpha?: number;
  /** The KD temperature. */
  temperature?: number;
}

/** Lets a UI or CLI pause, resume and stop a running loop between steps, and turn live knobs. */
export class TrainControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  /** Read by the loop before each step. */
  knobs: LiveKnobs = {};

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Resolves when the loop may go on; false means stop. */
  async gate(): Promise<boolean> {
    // On wasm a step never leaves the microtask queue, so without this a worker would not see
    // a pause or stop message until the whole run had finished.
    await new Promise((resolve) => setTimeout(resolve, 0));
    while (this.paused && !this.stopped) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
    return !this.stopped;
  }
}

export function validateTrainConfig(c: TrainConfig, contextLength: number): void {
  const ints: [string, number, number][] = [
    ["steps", c.steps, 1],
    ["batchSize", c.batchSize, 1],
    ["seqLen", c.seqLen, 1],
    ["warmupSteps", c.warmupSteps, 0],
    ["evalEvery", c.evalEvery, 0],
    ["evalBatches", c.evalBatches, 1],
    ["seed", c.seed, 0],
  ];
  for (const [name, v, min] of ints) {
    if (!Number.isInteger(v) || v < min)
      throw new Error(`training: ${name} must be an integer ≥ ${min}, got ${v}`);
  }
  if (c.seqLen > contextLength)
    throw new Error(`training: seqLen ${c.seqLen} exceeds the model's context ${contextLength}`);
  if (!(c.learningRate > 0 && c.learningRate < 1))
    throw new Error(`training: learningRate must be in (0, 1), got ${c.learningRate}`);
  if (!(c.gradClip >= 0)) throw new Error(`training: gradClip must be ≥ 0, got ${c.gradClip}`);
  if (c.kd && !(c.kd.temperature > 0 && c.kd.temperature <= 100)) {
    throw new Error(`training: temperature must be in (0, 100], got ${c.kd.temperature}`);
  }
}

export function learningRateAt(c: TrainConfig, step: number): number {
  if (step < c.warmupSteps) return (c.learningRate * (step + 1)) / c.warmupSteps;
  const span = Math.max(1, c.steps - c.warmupSteps);
  const progress = Math.min(1, (step - c.warmupSteps) / span);
  return c.learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

/** grads scaled so that their global norm is at most maxNorm (in-graph: no read-back). */
function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const norm = tf.addN(Object.values(grads).map((g) => g.square().sum())).sqrt();
    const scale = tf.minimum(1, tf.scalar(maxNorm).div(norm.add(1e-6)));
    return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.mul(scale)]));
  });
}

/**
 * Training data: one token stream, or several (e.g. one per language) taken in turn, one stream
 * per step — the paper's balanced batches, each batch from a single language.
 */
export interface TrainData {
  train: Int32Array | readonly Int32Array[];
  val?: Int32Array;
}

export async function* train(
  student: LanguageModel,
  data: TrainData,
  config: TrainConfig,
  options: TrainOptions = {},
): AsyncGenerator<StepMetrics> {
  validateTrainConfig(config, student.config.contextLength);
  const { teacher, control } = options;
  const kd = config.kd;
  if (kd && !teacher) throw new Error("training: distillation needs a teacher model");
  if (teacher && teacher.config.vocabSize !== student.config.vocabSize) {
    throw new Error("training: teacher and student must share one vocabulary");
  }
  if (teacher && config.seqLen > teacher.config.contextLength) {
    throw new ProblemError(
      "teacherContext",
      { seqLen: config.seqLen, context: teacher.config.contextLength },
      `training: seqLen ${config.seqLen} exceeds the teacher's context ${teacher.config.contextLength}`,
    );
  }
  const cache = kd ? options.teacherCache : undefined;
  if (cache && (cache.stream !== data.train || cache.seqLen !== config.seqLen))
    throw new Error("training: the teacher cache was made for another stream or sequence length");
  const schedule = kd ? createAlphaSchedule(kd.alpha, config.steps) : null;
  const { resume } = options;
  const rng = createRng(config.seed, resume?.rngState);
  const optimizer = tf.train.adam(config.learningRate, 0.9, 0.999, 1e-7);
  if (resume)
    await optimizer.setWeights(
      resume.optimizer.map((w) => ({ name: w.name, tensor: w.tensor.clone() })),
    );
  const variables = student.variables();
  const checkpoint = async (step: number) => {
    if (!options.onCheckpoint) return;
    const [iterations, ...moments] = await optimizer.getWeights();
    try {
      await options.onCheckpoint({
        step,
        rngState: rng.state(),
        optimizer: [iterations, ...moments],
      });
    } finally {
      iterations.tensor.dispose(); // a fresh scalar; the moments belong to the optimizer
    }
  };

  /** The teacher's logits of the next step's windows, asked for ahead (see below). */
  let next: { key: string; values: Promise<Float32Array> } | null = null;
  try {
    for (let step = resume?.step ?? 0; step < config.steps; step++) {
      if (control && !(await control.gate())) return;
      const started = performance.now();
      const knobs = control?.knobs ?? {};
      const lr =
        learningRateAt(config, step) *
        ((knobs.learningRate ?? config.learningRate) / config.learningRate);
      const temperature = knobs.temperature ?? kd?.temperature ?? 1;
      (optimizer as unknown as { learningRate: number }).learningRate = lr;
      const weights =
        schedule && kd ? appliedWeights(schedule, kd.mode, step) : { alpha: 1, beta: 0 };
      const liveAlpha =
        kd?.alpha.kind === "fixed" && kd.mode === "combined" ? knobs.alpha : undefined;
      const { alpha, beta } =
        liveAlpha === undefined ? weights : { alpha: liveAlpha, beta: 1 - liveAlpha };

      const stream =
        data.train instanceof Int32Array ? data.train : data.train[step % data.train.length];
      let windows: number[] | null = null;
      let teacherValues: Float32Array | null = null;
      if (cache || options.alignedWindows) {
        const count = cache?.windows ?? alignedWindowCount(stream, config.seqLen);
        const draw = (from: Rng, steps: number) =>
          Array.from({ length: steps * config.batchSize }, () => from.int(count));
        // The teacher's windows of the next steps are asked for now (the same draws, from a copy
        // of the generator): a cache computing them on another thread works while this one trains.
        const ahead = createRng(0, rng.state());
        cache?.prefetch(draw(ahead, 1));
        cache?.prefetch(draw(ahead, Math.min(TEACHER_LOOKAHEAD_STEPS, config.steps - step) - 1));
        windows = draw(rng, 1);
        await cache?.fill(windows);
        // From such a thread, the logits too: this step's were asked for during the last one.
        if (cache?.logitsElsewhere) {
          const key = windows.join();
          teacherValues = await (next?.key === key ? next.values : cache.logitValues(windows));
          const following = draw(createRng(0, rng.state()), 1);
          next =
            step + 1 < config.steps
              ? { key: following.join(), values: cache.logitValues(following) }
              : null;
          next?.values.catch(() => undefined); // a failure reaches the step that waits for them
        }
      }
      const batch = windows
        ? alignedBatch(stream, config.seqLen, windows)
        : sampleBatch(stream, config.batchSize, config.seqLen, rng);
      const losses = tf.tidy(() => {
        const t = batchTensors(batch);
        const teacherLogits =
          cache && windows
            ? teacherValues
              ? tf.tensor2d(teacherValues, [t.targets.size, cache.teacher.config.vocabSize])
              : cache.logits(windows)
            : teacher && kd
              ? flatLogits(teacher, t.inputs)
              : null;
        let ce: tf.Scalar | null = null;
        let kdValue: tf.Scalar | null = null;
        const { value, grads } = tf.variableGrads(() => {
          const logits = flatLogits(student, t.inputs);
          ce = tf.keep(crossEntropy(logits, t.targets, t.mask));
          if (!teacherLogits || !kd) return ce;
          kdValue = tf.keep(kdLoss(kd.loss, logits, teacherLogits, t.mask, temperature));
          return ce.mul(alpha).add(kdValue.mul(beta)) as tf.Scalar;
        }, variables);
        const clipped = config.gradClip > 0 ? clipByGlobalNorm(grads, config.gradClip) : grads;
        optimizer.applyGradients(clipped as Parameters<typeof optimizer.applyGradients>[0]);
        return [value, ce as unknown as tf.Scalar, kdValue ?? tf.scalar(Number.NaN)];
      });
      const [total, ce, kdLossValue] = await Promise.all(losses.map((l) => l.data()));
      tf.dispose(losses);
      schedule?.observe(ce[0], kdLossValue[0]);

      const seconds = (performance.now() - started) / 1000;
      const metrics: StepMetrics = {
        step: step + 1,
        ce: ce[0],
        kd: kd ? kdLossValue[0] : null,
        total: total[0],
        alpha,
        beta,
        learningRate: lr,
        tokensPerSec: (config.batchSize * config.seqLen) / Math.max(seconds, 1e-9),
      };
      const isLast = step + 1 === config.steps;
      if (data.val && config.evalEvery > 0 && ((step + 1) % config.evalEvery === 0 || isLast)) {
        const val = await evaluate(student, data.val, {
          seqLen: config.seqLen,
          batchSize: config.batchSize,
          maxBatches: config.evalBatches,
        });
        metrics.valLoss = val.loss;
        metrics.valPerplexity = val.perplexity;
      }
      const every = options.checkpointEvery ?? 0;
      if ((every > 0 && (step + 1) % every === 0) || isLast) await checkpoint(step + 1);
      yield metrics;
    }
  } finally {
    optimizer.dispose();
  }
}
