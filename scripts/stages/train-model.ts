/** How every shipped model is trained: checkpointed, logged, saved and registered in the manifest. */
import { existsSync } from "node:fs";
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { selectBackend } from "../../src/ml/backend";
import { checkpointedRun } from "../../src/ml/checkpoint";
import { perplexityByLanguage } from "../../src/ml/evaluate";
import { GPT, type GPTConfig } from "../../src/ml/gpt";
import { LANGUAGES, type Language } from "../../src/ml/languages";
import { type TrainConfig, type TrainState, train } from "../../src/ml/train";
import {
  checkpointFolder,
  loadModelDir,
  readText,
  registerArtifact,
  saveModelDir,
  teacherCacheFile,
  writeFileMakingDirs,
} from "../node-io";
import { Progress } from "../progress";
import { tokens } from "./encode";
import { CHECKPOINTS, LOGS, MANIFEST, MODELS, RESULTS, ROOT, trainText, valText } from "./paths";

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
