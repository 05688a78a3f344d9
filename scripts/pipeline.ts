/**
 * The model pipeline behind `npm run models -- <stage>`: trains the shipped models from the corpora (`npm run corpora` first)
 * and registers them in public/models/manifest.json. Stages, in order:
 *   tokenizer  byte-level BPE on all four languages; prints compression at several sizes
 *   encode     token streams of every corpus (cached under data/build/tokens)
 *   teacher-phase1  the first teacher, from scratch (→ data/init/teacher-phase1)
 *   teacher    the multilingual teacher's phase 2, from phase 1 (committed checkpoints, resumes)
 *   router     TF-IDF + logistic regression on token ids; accuracy by text length
 *   router-seeds  the default router at three training orders against every goal (→ docs/results)
 *   expert L   a student distilled from the teacher on language L (en|fr|de|py|common = all four)
 *   baseline L the same student trained with CE only (α = 1, no teacher), for comparison
 *   gates      prints every quality gate of the shipped models (a gate not met is reported)
 *   recorded   the lessons' race and forgetting runs at lesson size (→ public/recorded/lessons.json)
 * Each stage can be re-run; long ones checkpoint and resume.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { selectBackend } from "../src/ml/backend";
import { BOS_ID, type HfTokenizerJson, trainBpe } from "../src/ml/bpe-trainer";
import { checkpointedRun } from "../src/ml/checkpoint";
import { encodeCorpus, layoutPrompt, splitDocuments } from "../src/ml/data";
import { perplexityByLanguage } from "../src/ml/evaluate";
import { generate } from "../src/ml/generate";
import { GPT, type GPTConfig } from "../src/ml/gpt";
import { expertName, LANGUAGE_NAMES, LANGUAGES, type Language } from "../src/ml/languages";
import { findArtifact, parseManifest } from "../src/ml/manifest";
import {
  EXPERT_CONFIG,
  EXPERT_KD,
  EXPERT_STEPS,
  EXPERT_STEPS_EXTENDED_FROM,
  EXPERT_TRAIN,
  ROUTER_BARE_PROSE_MAX_CHARS,
  ROUTER_EVAL_SNIPPETS,
  ROUTER_MAX_FALSE_NONE,
  routerFitOptions,
  SHIPPED_ROUTER_EXAMPLES_PER_TEXT,
  SHIPPED_ROUTER_NONE_TEXT_SHARE,
  SHIPPED_ROUTER_PROSE_TEXT_SHARE,
  TEACHER_CHECKPOINT_EVERY,
  TEACHER_CONFIG,
  TEACHER_LANGUAGE_EVAL,
  TEACHER_PHASE1_TRAIN,
  TEACHER_TRAIN,
  TOKENIZER_TRAINING,
  VOCAB_SIZE,
} from "../src/ml/presets";
import {
  codeClassIds,
  documentOpenings,
  fitRouter,
  LANGUAGE_CLASSES,
  type LanguageText,
  NONE,
  NONE_CLASS,
  Router,
  routerDataset,
  snippets,
} from "../src/ml/router";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { type TrainConfig, type TrainState, train } from "../src/ml/train";
import { vocabularyOf, wordLikeness } from "../src/ml/word-likeness";
import {
  checkpointFolder,
  loadModelDir,
  loadTokenizer,
  readJson,
  readText,
  registerArtifact,
  saveModelDir,
  teacherCacheFile,
  writeFileMakingDirs,
} from "./node-io";
import { Progress } from "./progress";
import {
  evaluateRouter,
  goalLine,
  lengthTable,
  loadRouterEvalSets,
  type RouterGoal,
  routerGoals,
} from "./router-eval";
import { lineChart } from "./svg-chart";

const ROOT = join(import.meta.dirname, "..");
export const MODELS = join(ROOT, "public", "models");
export const MANIFEST = join(MODELS, "manifest.json");
export const TOKENIZER = join(MODELS, "tokenizer.json");
const TOKENS = join(ROOT, "data", "build", "tokens");

export const trainText = (lang: Language) => join(ROOT, "data", "corpora", lang, "train.txt");
export const valText = (lang: Language) => join(ROOT, "data", "val", `${lang}.txt`);

/** A tokenizer.json keeping only the first `size` tokens (BPE merges are ordered by priority). */
export function truncateVocab(json: HfTokenizerJson, size: number): HfTokenizerJson {
  const keep = size - 259;
  const merges = json.model.merges.slice(0, keep);
  const vocab = Object.fromEntries(Object.entries(json.model.vocab).filter(([, id]) => id < size));
  return { ...json, model: { ...json.model, vocab, merges } };
}

async function tokenizerStage(args: string[]): Promise<void> {
  const chosen = Number(args[0] ?? TOKENIZER_TRAINING.vocabSize);
  const sizes = TOKENIZER_TRAINING.sizesMeasured;
  const perLanguageBytes = TOKENIZER_TRAINING.bytesPerLanguage;
  const docs: string[] = [];
  for (const lang of LANGUAGES) {
    // The same amount of text per language, so no language dominates the merges.
    let bytes = 0;
    for (const d of splitDocuments(await readText(trainText(lang)))) {
      if (bytes > perLanguageBytes) break;
      docs.push(d);
      bytes += Buffer.byteLength(d);
    }
  }
  const bar = new Progress("merges", Math.max(...sizes) - 259);
  const full = trainBpe(docs, {
    vocabSize: Math.max(...sizes, chosen),
    onProgress: (d) => bar.update(d),
  });
  bar.stop();
  const table: Record<string, Record<Language, number>> = {};
  for (const size of sizes) {
    const tokenizer = new BpeTokenizer(truncateVocab(full, size));
    table[size] = {} as Record<Language, number>;
    for (const lang of LANGUAGES) {
      const text = await readText(valText(lang));
      table[size][lang] = Buffer.byteLength(text) / tokenizer.encode(text).length;
    }
    process.stdout.write(
      `vocab ${size}: bytes per token ${LANGUAGES.map((l) => `${l} ${table[size][l].toFixed(2)}`).join(", ")}\n`,
    );
  }
  await writeFile(TOKENIZER, JSON.stringify(truncateVocab(full, chosen)));
  const bytesPerToken = table[chosen] ?? {};
  await registerArtifact(
    MANIFEST,
    {
      name: "tokenizer",
      kind: "tokenizer",
      config: { vocabSize: chosen, type: "byte-level BPE" },
      training: {
        bytesPerLanguage: perLanguageBytes,
        sizesMeasured: sizes,
        bytesPerTokenBySize: table,
      },
      metrics: { validationBytesPerToken: bytesPerToken },
    },
    [TOKENIZER],
  );
}

/**
 * Token streams of a corpus file, cached by the tokenizer's and the text's sha256 (a rebuilt corpus,
 * e.g. from another package version, must not reuse the old tokens).
 */
export async function tokens(path: string, name: string): Promise<Int32Array> {
  const text = await readText(path);
  const key = [await readFile(TOKENIZER), Buffer.from(text)]
    .map((bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 12))
    .join("-");
  const cache = join(TOKENS, `${name}-${key}.bin`);
  if (existsSync(cache)) return new Int32Array((await readFile(cache)).buffer.slice(0));
  const tokenizer = await loadTokenizer(TOKENIZER);
  const ids = encodeCorpus(tokenizer, text);
  await mkdir(TOKENS, { recursive: true });
  await writeFile(cache, new Uint8Array(ids.buffer));
  return ids;
}

async function encodeStage(): Promise<void> {
  for (const lang of LANGUAGES) {
    const train = await tokens(trainText(lang), `${lang}-train`);
    const val = await tokens(valText(lang), `${lang}-val`);
    process.stdout.write(
      `${lang}: ${train.length} training tokens, ${val.length} validation tokens\n`,
    );
  }
}

const CHECKPOINTS = join(ROOT, "data", "build", "checkpoints");
/** Long runs' checkpoints are committed, so that they resume on another machine. */
const COMMITTED_CHECKPOINTS = join(ROOT, "data", "checkpoints");
const TEACHER_CHECKPOINTS = join(COMMITTED_CHECKPOINTS, "teacher");
/** Phase 1's teacher (3000 steps from scratch, as first shipped): where phase 2 starts. */
const TEACHER_INIT = join(ROOT, "data", "init", "teacher-phase1");
const LOGS = join(ROOT, "docs", "logs");
const RESULTS = join(ROOT, "docs", "results");

function concat(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export interface ModelRun {
  name: string;
  /** Ship it in public/models (else only its metrics are written, to docs/results). */
  ship: boolean;
  /** Save the shipped-format files here instead, without registering them in the manifest. */
  folder?: string;
  config: GPTConfig;
  train: TrainConfig;
  languages: readonly Language[];
  teacher?: string; // folder of a saved teacher
  /** Folder of saved weights to start from (else a fresh model from the seed). */
  init?: string;
  checkpointEvery: number;
  /** Where checkpoints go (default data/build/checkpoints/<name>, not committed). */
  checkpointDir?: string;
  /** Per-language validation every N steps on a few batches, logged to docs/logs/<name>-languages.jsonl. */
  languageEval?: { every: number; batches: number };
  /**
   * Steps of the shorter runs of the same settings this run continues, in order: it resumes the
   * last one's checkpoint (on its own, longer learning-rate schedule), and the manifest records
   * them as `extendedFrom`.
   */
  extends?: readonly number[];
}

/** Per-language validation perplexity on the full validation sets. */
export async function perLanguagePerplexity(
  model: GPT,
  seqLen: number,
  maxBatches?: number,
): Promise<Record<Language, number>> {
  const val = {} as Record<Language, Int32Array>;
  for (const lang of LANGUAGES) val[lang] = await tokens(valText(lang), `${lang}-val`);
  return perplexityByLanguage(model, val, LANGUAGES, { seqLen, batchSize: 16, maxBatches });
}

/** Drops the lines of a JSONL step log after `step`. */
async function keepLogUpTo(file: string, step: number): Promise<void> {
  const lines = (await readText(file)).split("\n").filter(Boolean);
  const kept = lines.filter((line) => (JSON.parse(line) as { step: number }).step <= step);
  await writeFile(file, kept.map((line) => `${line}\n`).join(""));
}

/**
 * Trains one model with checkpoints (resumes if a checkpoint of the same run exists), logs every
 * step to docs/logs/<name>.jsonl, saves it (uint8 matrices) to public/models/<name> and registers it.
 */
/**
 * The settings of the shorter run whose checkpoint a run continues (`from`: the last of `runs`,
 * itself continuing the ones before it), and the run's own settings with them on record (`as`).
 */
export function continuedRun<S extends { train: TrainConfig }>(
  settings: S,
  runs: readonly number[],
) {
  const earlier = runs.slice(0, -1);
  return {
    from: {
      ...settings,
      train: { ...settings.train, steps: runs.at(-1) },
      ...(earlier.length > 0 ? { extendedFrom: earlier } : {}),
    },
    as: { ...settings, extendedFrom: [...runs] },
  };
}

export async function trainShippedModel(run: ModelRun): Promise<void> {
  await selectBackend(["wasm"]);
  const trainTokens = concat(
    await Promise.all(run.languages.map((l) => tokens(trainText(l), `${l}-train`))),
  );
  const valTokens = concat(
    await Promise.all(run.languages.map((l) => tokens(valText(l), `${l}-val`))),
  );
  const checkpointDir = run.checkpointDir ?? join(CHECKPOINTS, run.name);
  const settings = {
    config: run.config,
    train: run.train,
    languages: run.languages,
    teacher: run.teacher ?? null,
    ...(run.init ? { init: relative(ROOT, run.init) } : {}),
    ...(run.teacher && run.train.kd ? { teacherCache: "hidden states, aligned windows" } : {}),
  };
  const log = join(LOGS, `${run.name}.jsonl`);
  const languageLog = join(LOGS, `${run.name}-languages.jsonl`);
  const fresh = async () => {
    const model = run.init ? await loadModelDir(run.init) : GPT.create(run.config, run.train.seed);
    if (JSON.stringify(model.config) !== JSON.stringify(run.config))
      throw new Error(`${run.init} holds a model of another shape than ${run.name}`);
    await mkdir(LOGS, { recursive: true });
    await writeFile(log, "");
    if (run.languageEval) await writeFile(languageLog, "");
    return model;
  };
  /** Per-language validation on a few batches, logged with the checkpoint. */
  const logLanguages = async (state: TrainState, model: GPT) => {
    const every = run.languageEval?.every ?? 0;
    if (every > 0 && (state.step % every === 0 || state.step === run.train.steps)) {
      const perplexity = await perLanguagePerplexity(
        model,
        run.train.seqLen,
        run.languageEval?.batches,
      );
      await appendFile(languageLog, `${JSON.stringify({ step: state.step, perplexity })}\n`);
    }
  };
  const checkpointed = await checkpointedRun(
    checkpointFolder(checkpointDir),
    settings,
    fresh,
    run.checkpointEvery,
    logLanguages,
    run.extends === undefined ? undefined : continuedRun(settings, run.extends),
  );
  const extendedFrom = (checkpointed.settings as { extendedFrom?: number[] }).extendedFrom;
  // Recorded with the run: its first steps followed the shorter run's schedule.
  const training = {
    ...run.train,
    languages: [...run.languages],
    ...(extendedFrom === undefined ? {} : { extendedFrom }),
  };
  const { model } = checkpointed;
  if (checkpointed.resumedAt !== null) {
    process.stderr.write(`${run.name}: resuming at step ${checkpointed.resumedAt}\n`);
    // Steps logged after the checkpoint by a stopped session are trained (and logged) again.
    for (const file of [log, languageLog])
      if (existsSync(file)) await keepLogUpTo(file, checkpointed.resumedAt);
  }
  const teacher = run.teacher ? await loadModelDir(run.teacher) : undefined;
  const params = model.parameterCount();
  process.stderr.write(
    `${run.name}: ${params.total} parameters (${params.nonEmbedding} non-embedding), ${trainTokens.length} training tokens\n`,
  );
  const bar = new Progress(run.name, run.train.steps);
  const started = performance.now();
  // Distillation reads the teacher from a cache (kept in data/build for re-runs).
  const cacheFile =
    teacher && run.teacher && run.train.kd
      ? await teacherCacheFile(teacher, run.teacher, trainTokens, {
          seqLen: run.train.seqLen,
          file: join(ROOT, "data", "build", "teacher-cache", `${run.name}.bin`),
        })
      : undefined;
  const options = { teacher, teacherCache: cacheFile?.cache, ...checkpointed.trainOptions };
  for await (const m of train(model, { train: trainTokens, val: valTokens }, run.train, options)) {
    await appendFile(log, `${JSON.stringify(m)}\n`);
    bar.update(
      m.step,
      `ce ${m.ce.toFixed(3)}${m.valPerplexity ? ` val ppl ${m.valPerplexity.toFixed(1)}` : ""}`,
    );
  }
  bar.stop();
  checkpointed.release();
  await cacheFile?.save();
  if (!run.ship) {
    const perplexity = await perLanguagePerplexity(model, run.train.seqLen);
    const result = {
      name: run.name,
      config: run.config,
      training,
      validationPerplexity: perplexity,
    };
    await writeFileMakingDirs(
      join(RESULTS, `${run.name}.json`),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    process.stdout.write(`${run.name}: ${JSON.stringify(perplexity)}\n`);
    model.dispose();
    teacher?.dispose();
    return;
  }
  const dir = run.folder ?? join(MODELS, run.name);
  const paths = await saveModelDir(model, dir, "uint8");
  // Score what ships: the uint8 weights as loaded, next to the float32 ones they came from.
  const shipped = await loadModelDir(dir);
  const perplexity = await perLanguagePerplexity(shipped, run.train.seqLen);
  const float32Perplexity = await perLanguagePerplexity(model, run.train.seqLen);
  const metrics = {
    validationPerplexity: perplexity,
    float32ValidationPerplexity: float32Perplexity,
    trainingSecondsThisSession: (performance.now() - started) / 1000,
  };
  process.stdout.write(`${run.name}: ${JSON.stringify(metrics)}\n`);
  if (!run.folder)
    await registerArtifact(
      MANIFEST,
      {
        name: run.name,
        kind: "gpt",
        config: { ...run.config },
        training: {
          ...training,
          teacher: run.teacher ? "teacher" : null,
          ...(run.teacher && run.train.kd
            ? { teacherCache: "hidden states, aligned windows" }
            : {}),
          ...(run.init ? { init: relative(ROOT, run.init) } : {}),
        },
        metrics,
      },
      paths,
    );
  model.dispose();
  shipped.dispose();
  teacher?.dispose();
}

/**
 * The teacher's validation curve per language so far (phase 1's end, then phase 2's per-language
 * log): a chart and a table in docs/results/teacher-curve.md, to see where it flattens.
 */
async function teacherCurveStage(): Promise<void> {
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

/** The teacher's phase 1 (the first shipped teacher), from scratch: writes data/init/teacher-phase1. */
async function teacherPhase1Stage(): Promise<void> {
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

async function teacherStage(args: string[]): Promise<void> {
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

/**
 * Router examples for one of SHIPPED_ROUTERS: training snippets from the full corpora and, for
 * the default router, its extra text (data/router/train: man pages, more Python, and "none of
 * these" text; en/fr/de's SHIPPED_ROUTER_PROSE_TEXT_SHARE times the snippets), and held-out
 * validation snippets by length.
 */
export async function routerData(
  tokenizer: BpeTokenizer,
  shipped: (typeof SHIPPED_ROUTERS)[number],
) {
  const withNone = shipped.classes.some((c) => c.expert === null);
  const texts: LanguageText[] = [];
  for (const label of LANGUAGES) {
    texts.push({
      label,
      train: await readText(trainText(label)),
      val: await readText(valText(label)),
    });
    const isProse = shipped.classes.find((c) => c.id === label)?.layout === "prose";
    if (withNone)
      texts.push({
        label,
        train: await readText(routerText("train", label)),
        val: await readText(routerText("calibration", label)),
        examples:
          (isProse ? SHIPPED_ROUTER_PROSE_TEXT_SHARE : 1) * SHIPPED_ROUTER_EXAMPLES_PER_TEXT,
      });
  }
  if (withNone)
    texts.push({
      label: NONE,
      train: await readText(routerText("train", NONE)),
      val: await readText(routerText("calibration", NONE)),
      examples: SHIPPED_ROUTER_NONE_TEXT_SHARE * SHIPPED_ROUTER_EXAMPLES_PER_TEXT,
    });
  return routerDataset(texts, (s) => tokenizer.encode(s), {
    perLanguage: SHIPPED_ROUTER_EXAMPLES_PER_TEXT,
    evalSnippets: ROUTER_EVAL_SNIPPETS,
    codeClasses: codeClassIds(shipped.classes, shipped.features),
  });
}

const routerText = (part: "train" | "calibration", cls: string) =>
  join(ROOT, "data", "router", part, `${cls}.txt`);

/** The paper's router (token TF-IDF, four classes) and the default one (with character n-grams and "none"). */
export const SHIPPED_ROUTERS = [
  { name: "router-paper", features: "tokens", classes: LANGUAGE_CLASSES },
  { name: "router", features: "tokens+chars", classes: [...LANGUAGE_CLASSES, NONE_CLASS] },
] as const;

/**
 * One of SHIPPED_ROUTERS fitted as shipped (its training order from `seed`, 1 unless told), with
 * its "none of these" thresholds chosen on validation.
 */
async function fitShippedRouter(
  tokenizer: BpeTokenizer,
  shipped: (typeof SHIPPED_ROUTERS)[number],
  seed?: number,
) {
  const { train: examples, evalByLength } = await routerData(tokenizer, shipped);
  const started = performance.now();
  const bar = new Progress(
    seed === undefined ? shipped.name : `${shipped.name}, seed ${seed}`,
    100,
  );
  const fitOptions = {
    ...routerFitOptions("logreg", VOCAB_SIZE, shipped.features),
    ...(seed === undefined ? {} : { seed }),
  };
  const { router, thresholds } = fitRouter(examples, evalByLength, {
    ...fitOptions,
    classes: shipped.classes,
    onProgress: (done) => bar.update(Math.round(100 * done)),
    maxFalseNone: ROUTER_MAX_FALSE_NONE,
  });
  bar.stop();
  return { router, thresholds, fitOptions, seconds: (performance.now() - started) / 1000 };
}

async function routerStage(): Promise<void> {
  const tokenizer = await loadTokenizer(TOKENIZER);
  const sets = await loadRouterEvalSets((s) => tokenizer.encode(s));
  for (const shipped of SHIPPED_ROUTERS) {
    const withNone = shipped.classes.some((c) => c.expert === null);
    const { router, thresholds, fitOptions, seconds } = await fitShippedRouter(tokenizer, shipped);
    const result = evaluateRouter(router, sets);
    const path = join(MODELS, `${shipped.name}.json`);
    await writeFile(path, JSON.stringify(router.toJSON()));
    process.stdout.write(
      `${shipped.name} (${shipped.features}, ${router.classes.length} classes, none thresholds ${thresholds.map((t) => `${t.chars}: ${t.probability.toFixed(3)}`).join(", ") || "—"}, trained in ${seconds.toFixed(1)} s):\n${lengthTable(
        [
          ["validation accuracy", result.validation],
          ["out-of-domain accuracy", result.outOfDomain],
          ["second out-of-domain set's accuracy", result.outOfDomain2],
          ["out-of-domain called none", result.falseNone],
          ["other languages/code called none", result.trueNone],
          ["never-trained-on others called none", result.trueNoneUnseen],
          ["other scripts called none", result.otherScriptsNone],
        ],
      )}\n${Object.entries(result.trueNoneByTag)
        .map(([tag, v]) => `${tag} ${(100 * v).toFixed(1)} %`)
        .join(", ")}\n`,
    );
    await registerArtifact(
      MANIFEST,
      {
        name: shipped.name,
        kind: "router",
        config: {
          classifier: "logreg",
          features: shipped.features,
          vocabSize: VOCAB_SIZE,
          charBuckets: router.toJSON().charBuckets,
          termFrequency: fitOptions.termFrequency ?? "raw",
          optimizer: fitOptions.optimizer ?? "sgd",
          learningRate: fitOptions.learningRate ?? null,
          averaged: fitOptions.averaged ?? false,
          lineLayout: fitOptions.lineLayout ?? false,
          scripts: fitOptions.scripts ?? false,
          classes: router.classes.map((c) => c.id),
        },
        training: {
          examplesPerText: SHIPPED_ROUTER_EXAMPLES_PER_TEXT,
          texts: withNone ? "corpora + data/router/train" : "corpora",
          proseRouterTextShare: withNone ? SHIPPED_ROUTER_PROSE_TEXT_SHARE : null,
          bareProseLeftOut: withNone
            ? `code-class snippets ≤ ${ROUTER_BARE_PROSE_MAX_CHARS} characters that read as prose: no sign of code, mostly plain words`
            : null,
          snippetLengths: "log-uniform 20–1000 characters",
          maxFalseNoneOnValidation: withNone ? ROUTER_MAX_FALSE_NONE : null,
          seed: fitOptions.seed ?? null,
        },
        metrics: { noneThresholds: thresholds, ...result },
      },
      [path],
    );
  }
}

function expertLanguages(which: string | undefined): readonly Language[] {
  if (which === "common") return LANGUAGES;
  if (!LANGUAGES.includes(which as Language))
    throw new Error(`expected one of ${LANGUAGES.join(", ")} or common, got ${which}`);
  return [which as Language];
}

/** An expert's steps (and its CE-only twin's): EXPERT_STEPS, for en|fr|de|py|common. */
function expertSteps(which: string | undefined): number {
  return EXPERT_STEPS[(which ?? "") as keyof typeof EXPERT_STEPS] ?? EXPERT_TRAIN.steps;
}

/** The shorter runs an expert (or twin) of `steps` steps continues (EXPERT_STEPS_EXTENDED_FROM). */
function extendedFrom(which: string | undefined, steps: number): number[] | undefined {
  const runs = EXPERT_STEPS_EXTENDED_FROM[(which ?? "") as keyof typeof EXPERT_STEPS];
  const earlier = runs?.filter((s) => s < steps) ?? [];
  return earlier.length > 0 ? earlier : undefined;
}

function checkExpertSize(): void {
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

async function expertStage(args: string[]): Promise<void> {
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

async function baselineStage(args: string[]): Promise<void> {
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
const JUDGED_SAMPLING = {
  temperature: 0.8,
  topK: 40,
  topP: 0.95,
  maxNewTokens: 64,
  stopOnEos: false,
};

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
async function samplesStage(): Promise<void> {
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

/** A markdown table cell: one line, pipes escaped. */
const cell = (s: string) => s.replaceAll("|", "\\|").replace(/\s+/g, " ").trim();

async function gatesStage(): Promise<void> {
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

/** The lessons' key runs, recorded with the browser's code for the charts' dashed overlays. */
async function recordedStage(): Promise<void> {
  await selectBackend(["wasm"]);
  const { lessonSettings, recordForgetting, recordRace, RECORDED_FILE } = await import(
    "./recorded"
  );
  const { parseRecorded } = await import("../src/app/recorded");
  const tokenizer = await loadTokenizer(TOKENIZER);
  const texts = {} as Record<Language, string>;
  for (const lang of LANGUAGES)
    texts[lang] = await readText(join(ROOT, "public", "corpora", `${lang}.txt`));
  const teacher = await loadModelDir(join(MODELS, "teacher"));
  const race = await recordRace(lessonSettings("A race"), texts, tokenizer, teacher);
  teacher.dispose();
  const router = Router.fromJSON(await readJson(join(MODELS, "router-paper.json")));
  const forgettingRun = await recordForgetting(
    lessonSettings("Forgetting"),
    texts,
    tokenizer,
    router,
  );
  const file = parseRecorded({
    format: "mome-recorded",
    version: 1,
    command: "npm run models -- recorded",
    race,
    forgetting: forgettingRun,
  });
  await writeFileMakingDirs(RECORDED_FILE, `${JSON.stringify(file)}\n`);
  for (const lane of race.lanes) {
    const last = lane.metrics.findLast((m) => m.valPerplexity !== undefined);
    process.stdout.write(
      `race ${lane.label}: validation perplexity ${last?.valPerplexity?.toFixed(1)} after ${last?.step} steps\n`,
    );
  }
  const { sequential, moe, order } = forgettingRun.result;
  process.stdout.write(
    `forgetting: ${order[0]} perplexity after its phase ${sequential[0][order[0]]?.toFixed(1)}, after the last ${sequential.at(-1)?.[order[0]]?.toFixed(1)}; its expert ${moe[order[0]]?.toFixed(1)}\n`,
  );
  process.stdout.write(`→ ${relative(ROOT, RECORDED_FILE)} (race ${race.seconds.toFixed(0)} s)\n`);
}

/** Training orders compared by `router-seeds`: 1 is the shipped router's. */
const ROUTER_SEEDS = [1, 2, 3];

/**
 * The default router re-trained with each of ROUTER_SEEDS (the order its snippets are met in; the
 * data, settings and threshold rule stay those shipped), scored against every goal of
 * routerGoals → docs/results/router-seeds.md: how far the goals move with nothing but the
 * training order, beside how far they are missed.
 */
async function routerSeedsStage(): Promise<void> {
  const tokenizer = await loadTokenizer(TOKENIZER);
  const encode = (s: string) => tokenizer.encode(s);
  const sets = await loadRouterEvalSets(encode);
  const shipped = SHIPPED_ROUTERS[1];
  const bySeed: RouterGoal[][] = [];
  for (const seed of ROUTER_SEEDS) {
    const { router } = await fitShippedRouter(tokenizer, shipped, seed);
    bySeed.push(routerGoals(router, sets, encode));
  }
  const cell = (g: RouterGoal) =>
    `${g.met ? "met" : "**not met**"}: ${g.figure}${g.onlyOursOnlyEld ? ` (${g.onlyOursOnlyEld})` : ""}`;
  const lines = [
    `# The default router's goals at ${ROUTER_SEEDS.length} training orders`,
    "",
    `\`npm run models -- router-seeds\`, ${new Date().toISOString().slice(0, 10)}. Seed ${ROUTER_SEEDS[0]} is the shipped router (public/models/router.json); each other seed re-trains it on the same snippets, with the same settings and "none" threshold rule, meeting the snippets in another order. eld's figures do not depend on the seed: the target column shows them. Beside each en/fr/de figure: texts right only for ours / only for eld.`,
    "",
    `| goal | target | ${ROUTER_SEEDS.map((s) => `seed ${s}`).join(" | ")} |`,
    `|---|---|${ROUTER_SEEDS.map(() => "---").join("|")}|`,
    ...bySeed[0].map(
      (g, i) =>
        `| ${g.goal} | ${g.target} | ${bySeed.map((goals) => cell(goals[i])).join(" | ")} |`,
    ),
    `| goals met | | ${bySeed.map((goals) => `${goals.filter((g) => g.met).length} of ${goals.length}`).join(" | ")} |`,
    "",
  ];
  await writeFileMakingDirs(join(RESULTS, "router-seeds.md"), lines.join("\n"));
  process.stdout.write(
    `${lines.join("\n")}\n→ ${relative(ROOT, join(RESULTS, "router-seeds.md"))}\n`,
  );
}

export const STAGES: Record<string, (args: string[]) => Promise<void>> = {
  recorded: recordedStage,
  gates: gatesStage,
  samples: samplesStage,
  expert: expertStage,
  baseline: baselineStage,
  router: routerStage,
  "router-seeds": routerSeedsStage,
  tokenizer: tokenizerStage,
  encode: encodeStage,
  "teacher-phase1": teacherPhase1Stage,
  "teacher-curve": teacherCurveStage,
  teacher: teacherStage,
};
