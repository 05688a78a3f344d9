/**
 * Why something failed, in the reader's language: a problem from src/ml (a code and its values,
 * kept across workers by src/workers/problem-transfer.ts) is worded from the catalogue; any other
 * error keeps its own message.
 */
import i18next from "i18next";
import { type ProblemCode, problemOf } from "../../ml/problems";
import type { TextKey, Translate } from "./catalogues";
import { numberFormat, translate } from "./index";

const PROBLEM_TEXTS: Record<ProblemCode, TextKey> = {
  notJson: "error.notJson",
  notOurModel: "error.notOurModel",
  modelDamaged: "error.modelDamaged",
  checksum: "error.checksum",
  shardBytes: "error.shardBytes",
  fileMissing: "error.fileMissing",
  tensorMissing: "error.tensorMissing",
  tensorShape: "error.tensorShape",
  configNumber: "error.configNumber",
  configHeads: "error.configHeads",
  gpt2Config: "error.gpt2Config",
  safetensorsHeader: "error.safetensorsHeader",
  safetensorsType: "error.safetensorsType",
  safetensorsEntry: "error.safetensorsEntry",
  safetensorsLayout: "error.safetensorsLayout",
  vocabularySize: "error.vocabularySize",
  tokenizerType: "error.tokenizerType",
  tokenizerToken: "error.tokenizerToken",
  tokenizerMerges: "error.tokenizerMerges",
  teacherContext: "error.teacherContext",
  textTooLarge: "error.textTooLarge",
  textTooShort: "error.textTooShort",
  manifestInvalid: "error.manifestInvalid",
  httpStatus: "error.httpStatus",
  noAnswer: "error.noAnswer",
  stalled: "error.stalled",
  network: "error.network",
};

/** `e` worded for the reader: where it was met (`at`) and how often it was tried (`tries`) included. */
export function whyOf(e: unknown, t: Translate = translate): string {
  const problem = problemOf(e);
  if (!problem) return e instanceof Error ? e.message : String(e);
  const numbers = numberFormat(i18next.language);
  // Fractions (megabytes) are written the language's way; counts and ids stay as they are.
  const values = Object.fromEntries(
    Object.entries(problem.values).map(([name, v]) => [
      name,
      typeof v === "number" && !Number.isInteger(v) ? numbers.number(v, 1) : v,
    ]),
  );
  let text = t(PROBLEM_TEXTS[problem.code], values);
  if (typeof values.at === "string") text = t("error.at", { file: values.at, problem: text });
  if (typeof values.tries === "number" && values.tries > 1)
    text = t("error.afterTries", { count: values.tries, problem: text });
  return text;
}
