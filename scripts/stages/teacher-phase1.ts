/** Stage `teacher-phase1`: the first teacher, from scratch (→ data/init/teacher-phase1). */
import { LANGUAGES } from "../../src/ml/languages";
import { TEACHER_CONFIG, TEACHER_PHASE1_TRAIN } from "../../src/ml/presets";
import { TEACHER_INIT } from "./paths";
import { trainShippedModel } from "./train-model";

/** The teacher's phase 1 (the first shipped teacher), from scratch: writes data/init/teacher-phase1. */
export async function teacherPhase1Stage(): Promise<void> {
  await trainShippedModel({
    name: "teacher-phase1",
    ship: true,
    folder: TEACHER_INIT,
    config: TEACHER_CONFIG,
    train: TEACHER_PHASE1_TRAIN,
    languages: LANGUAGES,
    checkpointEvery: 50,
  });
}
