/** Stage `gates`: every quality gate of the shipped models, met or not (→ docs/results/gates.txt). */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { selectBackend } from "../../src/ml/backend";
import { BOS_ID } from "../../src/ml/bpe-trainer";
import { layoutPrompt } from "../../src/ml/data";
import { generate } from "../../src/ml/generate";
import { expertName, LANGUAGES, type Language } from "../../src/ml/languages";
import { findArtifact, parseManifest } from "../../src/ml/manifest";
import { TEACHER_TRAIN } from "../../src/ml/presets";
import { documentOpenings, Router, snippets } from "../../src/ml/router";
import { loadModelDir, loadTokenizer, readJson, readText, writeFileMakingDirs } from "../node-io";
import { loadRouterEvalSets } from "../router-eval";
import { goalLine, routerGoals } from "../router-goals";
import { MANIFEST, MODELS, RESULTS, TEACHER_INIT, TOKENIZER, valText } from "./paths";
import { perLanguagePerplexity } from "./train-model";

/** An expert's own-language perplexity may be at most this times the teacher's. */
export const EXPERT_PERPLEXITY_FACTOR = 1.3;

/** The common expert's perplexity may be at most this times the teacher's, on every language. */
export const COMMON_PERPLEXITY_FACTOR = 1.5;

/** Distillation pays: an expert has at least this much lower perplexity than its CE-only twin. */
export const KD_MIN_IMPROVEMENT = 0.03;

/** The long-trained teacher's perplexity may be at most this times phase 1's (the first teacher). */
export const TEACHER_MAX_RATIO = 0.75;

/** Teacher continuations routed to the prompt's language, at least. */
export const CONTINUATIONS_ROUTED = 0.95;

/** Sampling for the continuations the gates and samples judge. */
export const JUDGED_SAMPLING = {
  temperature: 0.8,
  topK: 40,
  topP: 0.95,
  maxNewTokens: 64,
  stopOnEos: false,
};

export async function gatesStage(): Promise<void> {
  await selectBackend(["wasm"]);
  const manifest = parseManifest(await readJson(MANIFEST));
  const lines: string[] = [];
  const gate = (ok: boolean, text: string) => lines.push(`${ok ? "MET    " : "NOT MET"}  ${text}`);

  let gzipBytes = 0;
  for (const artifact of manifest.artifacts) {
    for (const f of artifact.files)
      gzipBytes += gzipSync(await readFile(join(MODELS, f.path)), { level: 9 }).length;
  }
  gate(
    gzipBytes <= 10 * 2 ** 20,
    `payload: ${(gzipBytes / 2 ** 20).toFixed(2)} MiB gzip for ${manifest.artifacts.length} artifacts (gate ≤ 10 MiB)`,
  );

  const router = Router.fromJSON(await readJson(join(MODELS, "router.json")));
  const tokenizer = await loadTokenizer(TOKENIZER);
  const encode = (s: string) => tokenizer.encode(s);
  for (const goal of routerGoals(router, await loadRouterEvalSets(encode), encode))
    gate(goal.met, goalLine(goal));

  const teacherMetrics = findArtifact(manifest, "teacher").metrics as {
    validationPerplexity: Record<Language, number>;
  };
  const firstTeacher = await loadModelDir(TEACHER_INIT);
  const firstPerplexity = await perLanguagePerplexity(firstTeacher, TEACHER_TRAIN.seqLen);
  firstTeacher.dispose();
  for (const l of LANGUAGES) {
    const ratio = teacherMetrics.validationPerplexity[l] / firstPerplexity[l];
    gate(
      ratio <= TEACHER_MAX_RATIO,
      `teacher on ${l}: validation perplexity ${teacherMetrics.validationPerplexity[l].toFixed(2)} = ${ratio.toFixed(2)}× the first teacher's (phase 1, ${firstPerplexity[l].toFixed(2)}) (gate ≤ ${TEACHER_MAX_RATIO}×)`,
    );
  }

  const teacher = await loadModelDir(join(MODELS, "teacher"));
  /** How often 64-token continuations of the prompts are routed to the prompts' language. */
  const routedContinuations = async (
    promptsOf: (val: string) => string[],
    layout: (prompt: string) => number[],
  ) => {
    let matched = 0;
    let total = 0;
    const perLanguage: string[] = [];
    for (const lang of LANGUAGES) {
      const prompts = promptsOf(await readText(valText(lang)));
      let ok = 0;
      for (const [i, prompt] of prompts.entries()) {
        const ids: number[] = [];
        const options = { ...JUDGED_SAMPLING, seed: i };
        for await (const t of generate(teacher, layout(prompt), options)) ids.push(t.id);
        if (router.predict({ ids, text: tokenizer.decode(ids) }).label === lang) ok++;
      }
      perLanguage.push(`${lang} ${ok}/${prompts.length}`);
      matched += ok;
      total += prompts.length;
    }
    return {
      share: matched / total,
      text: `${((100 * matched) / total).toFixed(1)} % (${perLanguage.join(", ")})`,
    };
  };
  // Prompts laid out as the app lays them out (model.worker.ts): prose paragraphs are separate
  // documents, as in the training corpora; code is one document.
  const asInTheApp = (prompt: string) => layoutPrompt(tokenizer, router, prompt).ids;
  const asOneDocument = (prompt: string) => [BOS_ID, ...tokenizer.encode(prompt)];
  const windows = (val: string) => snippets(val, 60, 25);
  const appLayout = await routedContinuations(windows, asInTheApp);
  const oneDocument = await routedContinuations(windows, asOneDocument);
  const openings = await routedContinuations((val) => documentOpenings(val, 60, 25), asInTheApp);
  teacher.dispose();
  gate(
    appLayout.share >= CONTINUATIONS_ROUTED,
    `teacher: 64-token continuations of 25 held-out 60-character prompts per language, laid out as the app does, routed to the prompt's language ${appLayout.text} (gate ≥ ${100 * CONTINUATIONS_ROUTED} %)`,
  );
  lines.push(
    `         the same prompts as one document (a blank line inside, which prose never had in training): ${oneDocument.text}`,
    `         60-character openings of held-out documents: ${openings.text}`,
  );

  for (const lang of [...LANGUAGES, "common"] as const) {
    const expert = manifest.artifacts.find((a) => a.name === expertName(lang));
    if (!expert) {
      lines.push(`MISSING  ${expertName(lang)} is not trained yet`);
      continue;
    }
    const ppl = (expert.metrics as { validationPerplexity: Record<Language, number> })
      .validationPerplexity;
    const own = lang === "common" ? LANGUAGES : [lang];
    const baselinePath = join(RESULTS, `baseline-ce-${lang}.json`);
    const saved = existsSync(baselinePath)
      ? ((await readJson(baselinePath)) as {
          training: { steps: number };
          validationPerplexity: Record<Language, number>;
        })
      : null;
    const expertSteps = (expert.training as { steps?: number } | undefined)?.steps;
    // A twin of other steps is no comparison: it is reported, not used.
    const twin = saved && saved.training.steps === expertSteps;
    if (saved && !twin)
      lines.push(
        `MISSING  baseline-ce-${lang} has ${saved.training.steps} steps, ${expertName(lang)} ${expertSteps}: train the twin again`,
      );
    const baseline = twin ? saved.validationPerplexity : null;
    const maxFactor = lang === "common" ? COMMON_PERPLEXITY_FACTOR : EXPERT_PERPLEXITY_FACTOR;
    for (const l of own) {
      const factor = ppl[l] / teacherMetrics.validationPerplexity[l];
      gate(
        factor <= maxFactor,
        `${expertName(lang)} on ${l}: perplexity ${ppl[l].toFixed(2)} = ${factor.toFixed(2)}× the teacher's (gate ≤ ${maxFactor}×)`,
      );
      if (!baseline) {
        if (!saved) lines.push(`MISSING  baseline-ce-${lang} (CE only) is not trained yet`);
      } else {
        const gain = 1 - ppl[l] / baseline[l];
        gate(
          gain >= KD_MIN_IMPROVEMENT,
          `${expertName(lang)} on ${l}: ${(100 * gain).toFixed(1)} % lower perplexity than CE only (${baseline[l].toFixed(2)}) (gate ≥ ${100 * KD_MIN_IMPROVEMENT} %)`,
        );
      }
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  await writeFileMakingDirs(join(RESULTS, "gates.txt"), `${lines.join("\n")}\n`);
}
