import { join } from "node:path";
import { Option } from "commander";
import { parseAlphaSpec } from "../../src/ml/alpha";
import { checkpointedRun } from "../../src/ml/checkpoint";
import { encodeCorpus } from "../../src/ml/data";
import { GPT, type GPTConfig } from "../../src/ml/gpt";
import { KD_LOSSES, type KdLoss } from "../../src/ml/kd-options";
import {
  CLI_MODEL_DEFAULTS,
  CLI_VALIDATION_FRACTION,
  DEFAULT_TRAIN_CONFIG,
} from "../../src/ml/presets";
import { type TrainConfig, train } from "../../src/ml/train";
import {
  checkpointFolder,
  loadModelDir,
  loadTokenizer,
  outputFolderProblem,
  readText,
  registerArtifact,
  saveOrKeep,
  teacherCacheFile,
} from "../node-io";
import { Progress } from "../progress";
import { action, float, globals, int, program, report, startBackend } from "./program";

interface TrainCliOptions {
  tokenizer: string;
  train: string;
  val?: string;
  out: string;
  init?: string;
  teacher?: string;
  teacherCache?: string;
  kd?: KdLoss;
  alpha: string;
  mode: "combined" | "alternating";
  temperature: number;
  steps: number;
  batchSize: number;
  seqLen: number;
  lr: number;
  warmup: number;
  gradClip: number;
  seed: number;
  evalEvery: number;
  evalBatches: number;
  context: number;
  width: number;
  layers: number;
  heads: number;
  untied: boolean;
  checkpointEvery: number;
  resume: boolean;
  manifest?: string;
  name?: string;
}

/** The `train` command. */
export function registerTrain(): void {
  program
    .command("train")
    .description("train a GPT from scratch (CE) or by distillation from a teacher (α·CE + β·KD)")
    .requiredOption("--tokenizer <file>", "tokenizer.json")
    .requiredOption("--train <file>", "training text (UTF-8)")
    .option(
      "--val <file>",
      "validation text (default: the last 5 % of the training tokens, held out)",
    )
    .requiredOption("--out <dir>", "where to write model.json and its weight shards")
    .option("--init <dir>", "continue from this saved model (its config wins)")
    .option("--teacher <dir>", "teacher model for distillation")
    .option(
      "--teacher-cache <file>",
      "keep the teacher's outputs (its hidden states, per window of the text) in this file, so a later run on the same text reuses them",
    )
    .addOption(
      new Option("--kd <loss>", "distillation loss (needs --teacher)").choices([...KD_LOSSES]),
    )
    .option(
      "--alpha <spec>",
      "α schedule: fixed:A | adaptive[:K] | linear:A0,A1 | cosine:A0,A1 | step:A0,A1,AT",
      "fixed:0.5",
    )
    .addOption(
      new Option("--mode <mode>", "combined loss or alternating CE/KD steps")
        .choices(["combined", "alternating"])
        .default("combined"),
    )
    .option("--temperature <t>", "KD temperature", float("temperature", 0.01, 100), 2)
    .option("--steps <n>", "optimizer steps", int("steps", 1), DEFAULT_TRAIN_CONFIG.steps)
    .option(
      "--batch-size <n>",
      "sequences per step",
      int("batch size", 1),
      DEFAULT_TRAIN_CONFIG.batchSize,
    )
    .option(
      "--seq-len <n>",
      "tokens per sequence",
      int("sequence length", 1),
      DEFAULT_TRAIN_CONFIG.seqLen,
    )
    .option(
      "--lr <rate>",
      "peak learning rate (Adam)",
      float("learning rate", 1e-6, 0.999),
      DEFAULT_TRAIN_CONFIG.learningRate,
    )
    .option("--warmup <n>", "warm-up steps", int("warm-up", 0), DEFAULT_TRAIN_CONFIG.warmupSteps)
    .option(
      "--grad-clip <norm>",
      "global gradient-norm clip (0 = off)",
      float("grad clip", 0, 1e6),
      DEFAULT_TRAIN_CONFIG.gradClip,
    )
    .option("--seed <n>", "random seed (init and batches)", int("seed", 0), 0)
    .option(
      "--eval-every <n>",
      "validate every N steps (0 = only never)",
      int("eval every", 0),
      DEFAULT_TRAIN_CONFIG.evalEvery,
    )
    .option(
      "--eval-batches <n>",
      "validation batches",
      int("eval batches", 1),
      DEFAULT_TRAIN_CONFIG.evalBatches,
    )
    .option(
      "--context <n>",
      "context length (new models)",
      int("context", 1),
      CLI_MODEL_DEFAULTS.contextLength,
    )
    .option(
      "--width <n>",
      "model width dModel (new models)",
      int("width", 1),
      CLI_MODEL_DEFAULTS.dModel,
    )
    .option("--layers <n>", "layers (new models)", int("layers", 1), CLI_MODEL_DEFAULTS.nLayers)
    .option(
      "--heads <n>",
      "attention heads (new models)",
      int("heads", 1),
      CLI_MODEL_DEFAULTS.nHeads,
    )
    .option("--untied", "separate output head instead of the tied embedding", false)
    .option(
      "--checkpoint-every <n>",
      "save a full checkpoint (weights, Adam moments, sampler) to <out>/checkpoint every N steps (0 = never)",
      int("checkpoint every", 0),
      0,
    )
    .option("--resume", "continue from <out>/checkpoint when there is one (same settings)", false)
    .option("--manifest <file>", "register the model in this manifest.json")
    .option("--name <name>", "artifact name in the manifest (default: the --out folder's name)")
    .action(
      action(async (o: TrainCliOptions) => {
        // The output is checked before any step: a run is never trained for nothing.
        const outProblem = await outputFolderProblem(o.out);
        if (outProblem) throw new Error(outProblem);
        const backend = await startBackend();
        const tokenizer = await loadTokenizer(o.tokenizer);
        if (o.kd && !o.teacher) throw new Error("--kd needs --teacher");
        if (o.teacher && !o.kd)
          throw new Error("--teacher needs --kd (forward, paper-inverse or reverse)");
        const config: GPTConfig = {
          vocabSize: tokenizer.vocabSize,
          contextLength: o.context,
          dModel: o.width,
          nLayers: o.layers,
          nHeads: o.heads,
          tiedHead: !o.untied,
        };
        const { out: _out, resume: _resume, teacherCache: _cache, ...runSettings } = o;
        const folder = checkpointFolder(join(o.out, "checkpoint"));
        // Without --resume an existing checkpoint is not read (and is replaced by this run's).
        const store = o.resume ? folder : { ...folder, load: async () => null };
        const checkpointed = await checkpointedRun(
          store,
          runSettings,
          async () => (o.init ? await loadModelDir(o.init) : GPT.create(config, o.seed)),
          o.checkpointEvery,
        );
        const { model } = checkpointed;
        const teacher = o.teacher ? await loadModelDir(o.teacher, o.tokenizer) : undefined;
        for (const [name, m] of [
          ["model", model],
          ["teacher", teacher],
        ] as const) {
          if (m && m.config.vocabSize !== tokenizer.vocabSize) {
            throw new Error(
              `${name} vocabulary (${m.config.vocabSize}) differs from the tokenizer's (${tokenizer.vocabSize})`,
            );
          }
        }
        let trainTokens = encodeCorpus(tokenizer, await readText(o.train));
        let valTokens: Int32Array;
        if (o.val) valTokens = encodeCorpus(tokenizer, await readText(o.val));
        else {
          const cut = Math.floor(trainTokens.length * (1 - CLI_VALIDATION_FRACTION));
          valTokens = trainTokens.slice(cut);
          trainTokens = trainTokens.slice(0, cut);
        }
        const trainConfig: TrainConfig = {
          steps: o.steps,
          batchSize: o.batchSize,
          seqLen: Math.min(o.seqLen, model.config.contextLength),
          learningRate: o.lr,
          warmupSteps: Math.min(o.warmup, o.steps),
          gradClip: o.gradClip,
          seed: o.seed,
          evalEvery: o.evalEvery,
          evalBatches: o.evalBatches,
          kd: o.kd
            ? {
                loss: o.kd,
                temperature: o.temperature,
                alpha: parseAlphaSpec(o.alpha),
                mode: o.mode,
              }
            : undefined,
        };
        const params = model.parameterCount();
        if (!globals().json) {
          process.stderr.write(
            `backend ${backend}; ${params.total} parameters (${params.nonEmbedding} non-embedding); ` +
              `${trainTokens.length} training tokens, ${valTokens.length} validation tokens\n`,
          );
        }
        const bar = new Progress("steps", o.steps);
        const started = performance.now();
        let last: Record<string, unknown> = {};
        // Distillation reads the teacher from a cache: it runs once per window of the text.
        const cacheFile =
          teacher && o.kd && o.teacher
            ? await teacherCacheFile(teacher, o.teacher, trainTokens, {
                seqLen: trainConfig.seqLen,
                file: o.teacherCache,
              })
            : undefined;
        if (cacheFile?.restored && !globals().json)
          process.stderr.write(`teacher cache: ${cacheFile.restored} windows restored\n`);
        const trainOptions = {
          teacher,
          teacherCache: cacheFile?.cache,
          ...checkpointed.trainOptions,
        };
        if (checkpointed.resumedAt !== null && !globals().json)
          process.stderr.write(`resuming at step ${checkpointed.resumedAt}\n`);
        for await (const m of train(
          model,
          { train: trainTokens, val: valTokens },
          trainConfig,
          trainOptions,
        )) {
          last = { ...last, ...m };
          if (globals().json) process.stdout.write(`${JSON.stringify({ event: "step", ...m })}\n`);
          bar.update(
            m.step,
            `ce ${m.ce.toFixed(3)}${m.kd === null ? "" : ` kd ${m.kd.toFixed(3)} α ${m.alpha.toFixed(2)}`}`,
          );
        }
        bar.stop();
        checkpointed.release();
        await cacheFile?.save();
        const files = await saveOrKeep(model, o.out);
        const seconds = (performance.now() - started) / 1000;
        const metrics = {
          valLoss: last.valLoss,
          valPerplexity: last.valPerplexity,
          finalCe: last.ce,
          seconds,
        };
        if (o.manifest) {
          const name = o.name ?? o.out.split(/[\\/]/).filter(Boolean).pop() ?? "model";
          const { tokenizer: _t, out: _o, manifest: _m, name: _n, ...settings } = o;
          await registerArtifact(
            o.manifest,
            { name, kind: "gpt", config: { ...model.config }, training: { ...settings }, metrics },
            files,
          );
        }
        report({
          event: "done",
          out: o.out,
          parameters: params.total,
          nonEmbeddingParameters: params.nonEmbedding,
          ...metrics,
        });
        model.dispose();
        teacher?.dispose();
      }),
    );
}
