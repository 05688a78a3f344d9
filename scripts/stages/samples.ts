/** Stage `samples`: fixed-seed continuations and how word-like each model's text is (→ docs/results/samples.md). */
import { join } from "node:path";
import { selectBackend } from "../../src/ml/backend";
import { layoutPrompt } from "../../src/ml/data";
import { generate } from "../../src/ml/generate";
import type { GPT } from "../../src/ml/gpt";
import { expertName, LANGUAGE_NAMES, LANGUAGES } from "../../src/ml/languages";
import { documentOpenings, Router } from "../../src/ml/router";
import type { BpeTokenizer } from "../../src/ml/tokenizer";
import { vocabularyOf, wordLikeness } from "../../src/ml/word-likeness";
import { loadModelDir, loadTokenizer, readJson, readText, writeFileMakingDirs } from "../node-io";
import { JUDGED_SAMPLING } from "./gates";
import { MODELS, RESULTS, TEACHER_INIT, TOKENIZER, valText } from "./paths";

/** A markdown table cell: one line, pipes escaped. */
const cell = (s: string) => s.replaceAll("|", "\\|").replace(/\s+/g, " ").trim();

/** A continuation of `prompt` (laid out as the app does) by `model`, with `seed`. */
async function continuation(
  model: GPT,
  tokenizer: BpeTokenizer,
  router: Router,
  prompt: string,
  seed: number,
): Promise<string> {
  const ids: number[] = [];
  const start = layoutPrompt(tokenizer, router, prompt).ids;
  for await (const t of generate(model, start, { ...JUDGED_SAMPLING, seed })) ids.push(t.id);
  return tokenizer.decode(ids);
}

/**
 * Text a person can judge: 3 fixed-seed continuations per language from the first teacher
 * (phase 1), the long-trained teacher and the experts, side by side, and how word-like each
 * model's text is over 25 held-out prompts (the share of generated words found in the
 * validation text's vocabulary) → docs/results/samples.md.
 */
export async function samplesStage(): Promise<void> {
  await selectBackend(["wasm"]);
  const tokenizer = await loadTokenizer(TOKENIZER);
  const router = Router.fromJSON(await readJson(join(MODELS, "router.json")));
  const models: [string, string][] = [
    ["first teacher (phase 1)", TEACHER_INIT],
    ["teacher", join(MODELS, "teacher")],
  ];
  const shown: string[] = [];
  const likeness: string[] = [];
  for (const lang of LANGUAGES) {
    const val = await readText(valText(lang));
    const vocabulary = vocabularyOf(val);
    const prompts = documentOpenings(val, 60, 25);
    const rows: string[] = [];
    const scores: string[] = [];
    for (const [name, dir] of [...models, [expertName(lang), join(MODELS, expertName(lang))]]) {
      const model = await loadModelDir(dir);
      let found = 0;
      let total = 0;
      for (const [i, prompt] of prompts.entries()) {
        const text = await continuation(model, tokenizer, router, prompt, i);
        const w = wordLikeness(text, vocabulary);
        found += w.found;
        total += w.words;
        if (i < 3) rows.push(`| ${i} | ${name} | ${cell(prompt)} | ${cell(text)} |`);
      }
      model.dispose();
      scores.push(`${((100 * found) / Math.max(1, total)).toFixed(1)} %`);
      process.stderr.write(`${lang} ${name}: ${found}/${total} words found\n`);
    }
    likeness.push(`| ${lang} | ${scores.join(" | ")} |`);
    shown.push(
      `### ${LANGUAGE_NAMES[lang]}`,
      "",
      "| seed | model | prompt | continuation |",
      "| --- | --- | --- | --- |",
      ...rows.sort((a, b) => a.localeCompare(b)),
      "",
    );
  }
  const lines = [
    "# Text a person can judge",
    "",
    `Written by \`npm run models -- samples\`. Each continuation is ${JUDGED_SAMPLING.maxNewTokens} tokens (temperature ${JUDGED_SAMPLING.temperature}, top-k ${JUDGED_SAMPLING.topK}, top-p ${JUDGED_SAMPLING.topP}) of a held-out document's first 60 characters, laid out as the app lays out prompts; seed = prompt number.`,
    "",
    "Word-likeness: the share of generated words (runs of letters, or identifiers in Python) found in the language's validation text, over 25 prompts:",
    "",
    "| language | first teacher | teacher | expert |",
    "| --- | --- | --- | --- |",
    ...likeness,
    "",
    ...shown,
  ];
  await writeFileMakingDirs(join(RESULTS, "samples.md"), `${lines.join("\n")}\n`);
  process.stdout.write(`${lines.slice(0, 12).join("\n")}\n`);
}
