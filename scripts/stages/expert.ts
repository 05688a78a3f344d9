/** Stage `expert L`: a student distilled from the teacher on language L (en|fr|de|py|common = all four). */
import { join } from "node:path";
import { selectBackend } from "../../src/ml/backend";
import { expertName } from "../../src/ml/languages";
import { EXPERT_CONFIG, EXPERT_KD, EXPERT_TRAIN } from "../../src/ml/presets";
import { checkExpertSize, expertLanguages, expertSteps, extendedFrom } from "./experts";
import { COMMITTED_CHECKPOINTS, MODELS } from "./paths";
import { trainShippedModel } from "./train-model";

export async function expertStage(args: string[]): Promise<void> {
  await selectBackend(["wasm"]);
  checkExpertSize();
  const languages = expertLanguages(args[0]);
  const steps = Number(args[1] ?? expertSteps(args[0]));
  await trainShippedModel({
    name: expertName(args[0]),
    ship: true,
    config: EXPERT_CONFIG,
    train: { ...EXPERT_TRAIN, steps, kd: EXPERT_KD },
    languages,
    teacher: join(MODELS, "teacher"),
    checkpointEvery: 100,
    checkpointDir: join(COMMITTED_CHECKPOINTS, expertName(args[0])),
    extends: extendedFrom(args[0], steps),
  });
}
