/** What the `expert` and `baseline` stages share: which languages and steps, and the size check. */
import { GPT, type GPTConfig } from "../../src/ml/gpt";
import { LANGUAGES, type Language } from "../../src/ml/languages";
import {
  EXPERT_CONFIG,
  EXPERT_STEPS,
  EXPERT_STEPS_EXTENDED_FROM,
  EXPERT_TRAIN,
  TEACHER_CONFIG,
} from "../../src/ml/presets";

export function expertLanguages(which: string | undefined): readonly Language[] {
  if (which === "common") return LANGUAGES;
  if (!LANGUAGES.includes(which as Language))
    throw new Error(`expected one of ${LANGUAGES.join(", ")} or common, got ${which}`);
  return [which as Language];
}

/** An expert's steps (and its CE-only twin's): EXPERT_STEPS, for en|fr|de|py|common. */
export function expertSteps(which: string | undefined): number {
  return EXPERT_STEPS[(which ?? "") as keyof typeof EXPERT_STEPS] ?? EXPERT_TRAIN.steps;
}

/** The shorter runs an expert (or twin) of `steps` steps continues (EXPERT_STEPS_EXTENDED_FROM). */
export function extendedFrom(which: string | undefined, steps: number): number[] | undefined {
  const runs = EXPERT_STEPS_EXTENDED_FROM[(which ?? "") as keyof typeof EXPERT_STEPS];
  const earlier = runs?.filter((s) => s < steps) ?? [];
  return earlier.length > 0 ? earlier : undefined;
}

export function checkExpertSize(): void {
  const size = (c: GPTConfig) => {
    const m = GPT.create(c, 0);
    const n = m.parameterCount().nonEmbedding;
    m.dispose();
    return n;
  };
  const ratio = size(EXPERT_CONFIG) / size(TEACHER_CONFIG);
  if (ratio > 0.25)
    throw new Error(
      `experts have ${(100 * ratio).toFixed(1)} % of the teacher's non-embedding parameters (max 25 %)`,
    );
}
