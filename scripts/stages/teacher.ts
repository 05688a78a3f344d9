/** Stage `teacher`: the multilingual teacher's phase 2, from phase 1 (checkpoints in data/checkpoints, resumes). */
import { LANGUAGES } from "../../src/ml/languages";
import {
  TEACHER_CHECKPOINT_EVERY,
  TEACHER_CONFIG,
  TEACHER_LANGUAGE_EVAL,
  TEACHER_TRAIN,
} from "../../src/ml/presets";
import { TEACHER_CHECKPOINTS, TEACHER_INIT } from "./paths";
import { trainShippedModel } from "./train-model";

export async function teacherStage(args: string[]): Promise<void> {
  const steps = Number(args[0] ?? TEACHER_TRAIN.steps);
  await trainShippedModel({
    name: "teacher",
    ship: true,
    config: TEACHER_CONFIG,
    train: { ...TEACHER_TRAIN, steps },
    languages: LANGUAGES,
    init: TEACHER_INIT,
    checkpointEvery: TEACHER_CHECKPOINT_EVERY,
    checkpointDir: TEACHER_CHECKPOINTS,
    languageEval: TEACHER_LANGUAGE_EVAL,
  });
}
