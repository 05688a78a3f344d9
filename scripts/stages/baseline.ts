/** Stage `baseline L`: the same student trained with CE only (α = 1, no teacher), for comparison. */
import { join } from "node:path";
import { EXPERT_CONFIG, EXPERT_TRAIN } from "../../src/ml/presets";
import { expertLanguages, expertSteps, extendedFrom } from "./experts";
import { COMMITTED_CHECKPOINTS } from "./paths";
import { trainShippedModel } from "./train-model";

export async function baselineStage(args: string[]): Promise<void> {
  const languages = expertLanguages(args[0]);
  const steps = Number(args[1] ?? expertSteps(args[0]));
  await trainShippedModel({
    name: `baseline-ce-${args[0]}`,
    ship: false,
    config: EXPERT_CONFIG,
    train: { ...EXPERT_TRAIN, steps },
    languages,
    checkpointEvery: 100,
    checkpointDir: join(COMMITTED_CHECKPOINTS, `baseline-ce-${args[0]}`),
    extends: extendedFrom(args[0], steps),
  });
}
