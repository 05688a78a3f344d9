/**
 * Lanes: students trained side by side (a race, or one student), in lock-step on the same batches.
 * The browser's Train tab and `npm run models -- recorded` both train them with this code.
 */
import { GPT } from "./gpt";
import {
  BROWSER_TRAIN,
  browserTrainConfig,
  MIN_TRAIN_TOKENS,
  STUDENT_PRESETS,
  type StudentPreset,
} from "./presets";
import { ProblemError } from "./problems";
import type { TeacherCache } from "./teacher-cache";
import { type StepMetrics, type TrainConfig, type TrainControl, train } from "./train";

/** One student of a run: its size, learning rate and, to distil, how. */
export interface LaneSpec {
  preset: StudentPreset;
  learningRate: number;
  /** Absent: CE only. */
  kd?: TrainConfig["kd"];
}

/**
 * A training text's tokens as the browser splits them: the last tenth held out for validation;
 * a text of fewer than MIN_TRAIN_TOKENS tokens is refused.
 */
export function browserSplit(tokens: Int32Array): { train: Int32Array; val: Int32Array } {
  if (tokens.length < MIN_TRAIN_TOKENS)
    throw new ProblemError(
      "textTooShort",
      { tokens: tokens.length, least: MIN_TRAIN_TOKENS },
      `the text is too short to train on (${tokens.length} tokens; at least ${MIN_TRAIN_TOKENS} are needed)`,
    );
  const cut = Math.floor(tokens.length * (1 - BROWSER_TRAIN.validationFraction));
  return { train: tokens.slice(0, cut), val: tokens.slice(cut) };
}

/** A fresh student per lane (all from the run's seed) and each lane's training configuration. */
export function laneStudents(
  vocabSize: number,
  run: { steps: number; seed: number; batchSize?: number; lanes: readonly LaneSpec[] },
): { students: GPT[]; configs: TrainConfig[] } {
  const configs = run.lanes.map((lane) => browserTrainConfig({ ...run, ...lane }));
  const students = run.lanes.map((lane, i) =>
    GPT.create(
      {
        vocabSize,
        contextLength: configs[i].seqLen,
        tiedHead: true,
        ...STUDENT_PRESETS[lane.preset],
      },
      run.seed,
    ),
  );
  return { students, configs };
}

/** Steps each run in turn, one step at a time, until all have ended; yields each step's value. */
export async function* lockStep<T>(
  runs: readonly AsyncGenerator<T, unknown>[],
): AsyncGenerator<{ lane: number; value: T }> {
  const finished = runs.map(() => false);
  try {
    while (finished.some((f) => !f)) {
      for (const [lane, run] of runs.entries()) {
        if (finished[lane]) continue;
        const next = await run.next();
        if (next.done) finished[lane] = true;
        else yield { lane, value: next.value };
      }
    }
  } finally {
    // Ended early (a consumer's break, return or error): every run frees what it holds.
    await Promise.all(runs.map((run) => run.return(undefined)));
  }
}

/**
 * Trains the lanes' students in lock-step on the same batches (distilling lanes share the teacher
 * and its cache); yields every step's metrics with its lane. `controls` pause, stop or retune a lane.
 */
export function trainLanes(
  lanes: { students: GPT[]; configs: TrainConfig[] },
  data: { train: Int32Array; val: Int32Array },
  options: { teacher?: GPT; teacherCache?: TeacherCache; controls?: TrainControl[] } = {},
): AsyncGenerator<{ lane: number; value: StepMetrics }> {
  return lockStep(
    lanes.students.map((student, i) =>
      train(student, data, lanes.configs[i], {
        teacher: options.teacher,
        teacherCache: options.teacherCache,
        control: options.controls?.[i],
        alignedWindows: true,
      }),
    ),
  );
}
