/** Stage `teacher-curve`: the teacher's validation curve so far → docs/results/teacher-curve.md. */
import { join } from "node:path";
import { selectBackend } from "../../src/ml/backend";
import { LANGUAGES, type Language } from "../../src/ml/languages";
import { TEACHER_LANGUAGE_EVAL, TEACHER_PHASE1_TRAIN, TEACHER_TRAIN } from "../../src/ml/presets";
import { loadModelDir, readText, writeFileMakingDirs } from "../node-io";
import { lineChart } from "../svg-chart";
import { LOGS, RESULTS, ROOT, TEACHER_INIT } from "./paths";
import { perLanguagePerplexity } from "./train-model";

/**
 * The teacher's validation curve per language so far (phase 1's end, then phase 2's per-language
 * log): a chart and a table in docs/results/teacher-curve.md, to see where it flattens.
 */
export async function teacherCurveStage(): Promise<void> {
  await selectBackend(["wasm"]);
  const phase1 = { steps: TEACHER_PHASE1_TRAIN.steps };
  const phase1Teacher = await loadModelDir(TEACHER_INIT);
  const phase1End = await perLanguagePerplexity(phase1Teacher, TEACHER_TRAIN.seqLen);
  phase1Teacher.dispose();
  const log = (await readText(join(LOGS, "teacher-languages.jsonl")))
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { step: number; perplexity: Record<Language, number> });
  const rows = [{ step: 0, perplexity: phase1End }, ...log];
  const chart = lineChart(
    LANGUAGES.map((lang) => ({
      name: lang,
      points: rows.map((r) => [r.step, r.perplexity[lang]] as [number, number]),
    })),
    {
      title: "Teacher phase 2: validation perplexity per language",
      xLabel: `phase-2 step (× ${TEACHER_TRAIN.batchSize * TEACHER_TRAIN.seqLen} tokens)`,
      yLabel: "perplexity",
    },
  );
  await writeFileMakingDirs(join(ROOT, "docs", "charts", "teacher-validation.svg"), chart);
  const lines = [
    "# The teacher's validation curve",
    "",
    `Written by \`npm run models -- teacher-curve\`. Step 0 is phase 1's end (${phase1.steps} steps from scratch, full validation sets); later rows are phase 2 (${TEACHER_TRAIN.steps} steps planned), measured on ${TEACHER_LANGUAGE_EVAL.batches} validation batches per language every ${TEACHER_LANGUAGE_EVAL.every} steps.`,
    "",
    "![validation perplexity per language](../charts/teacher-validation.svg)",
    "",
    `| step | ${LANGUAGES.join(" | ")} |`,
    `| --- | ${LANGUAGES.map(() => "---").join(" | ")} |`,
    ...rows.map(
      (r) => `| ${r.step} | ${LANGUAGES.map((l) => r.perplexity[l].toFixed(1)).join(" | ")} |`,
    ),
    "",
  ];
  await writeFileMakingDirs(join(RESULTS, "teacher-curve.md"), lines.join("\n"));
  process.stdout.write(`${lines.slice(6).join("\n")}\n`);
}
