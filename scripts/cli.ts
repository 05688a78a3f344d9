/**
 * MoME Lab command line: the same src/ml code the browser runs, from a terminal.
 * Run `npm run cli -- --help`, or `npm run cli -- <command> --help`.
 */
import { readdirSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Command, InvalidArgumentError, Option } from "commander";
import { languageData, routerWithLanguage, trainLanguageModels } from "../src/ml/add-language";
import { parseAlphaSpec } from "../src/ml/alpha";
import { selectBackend } from "../src/ml/backend";
import {
  BACKENDS,
  type BackendName,
  describeBackendChoice,
  isBackendName,
} from "../src/ml/backend-names";
import { MAX_VOCAB_SIZE, trainBpe } from "../src/ml/bpe-trainer";
import { checkpointedRun } from "../src/ml/checkpoint";
import { encodeCorpus, encodePrompt, heldOutPart, splitDocuments } from "../src/ml/data";
import { evaluate } from "../src/ml/evaluate";
import { generate } from "../src/ml/generate";
import { GPT, type GPTConfig } from "../src/ml/gpt";
import { KD_LOSSES, type KdLoss } from "../src/ml/kd-options";
import { expertName, LANGUAGE_NAMES, LANGUAGES } from "../src/ml/languages";
import { sha256Hex } from "../src/ml/manifest";
import {
  ADD_LANGUAGE,
  CLI_MODEL_DEFAULTS,
  CLI_VALIDATION_FRACTION,
  DEFAULT_TRAIN_CONFIG,
  ROUTER_EXAMPLES_PER_LANGUAGE,
  ROUTER_MAX_FALSE_NONE,
  routerFitOptions,
} from "../src/ml/presets";
import {
  CLASSIFIERS,
  type ClassifierKind,
  classificationReport,
  codeClassIds,
  EVAL_LENGTHS,
  FEATURE_SETS,
  type FeatureSet,
  fitRouter,
  type LanguageText,
  NONE,
  NONE_CLASS,
  Router,
  type RouterClass,
  type RouterExample,
  routerDataset,
} from "../src/ml/router";
import { type TrainConfig, train } from "../src/ml/train";
import {
  checkpointFolder,
  loadModelDir,
  loadTokenizer,
  outputFolderProblem,
  readJson,
  readText,
  registerArtifact,
  saveModelDir,
  saveOrKeep,
  teacherCacheFile,
  writeFileMakingDirs,
} from "./node-io";
import { Progress } from "./progress";
import { routeJsonLines } from "./route-lines";

// tfjs prints a banner suggesting tfjs-node, which cannot install here; PROD mode silences it.
tf.env().set("PROD", true);

const int =
  (name: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be an integer ≥ ${min}`
          : `${name} must be an integer in [${min}, ${max}]`,
      );
    return n;
  };
const float = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}]`);
  return n;
};

interface GlobalOptions {
  backend: BackendName;
  json: boolean;
}

/** The models this repository ships: the defaults of route, generate and eval. */
const SHIPPED_MODELS = join(import.meta.dirname, "..", "public", "models");
const SHIPPED_CORPORA = join(import.meta.dirname, "..", "public", "corpora");
const SHIPPED = {
  teacher: join(SHIPPED_MODELS, "teacher"),
  tokenizer: join(SHIPPED_MODELS, "tokenizer.json"),
  router: join(SHIPPED_MODELS, "router.json"),
};

const program = new Command("mome")
  .description("MoME Lab: train, distil, route and measure small language experts (TensorFlow.js)")
  .addOption(
    new Option("--backend <name>", "TensorFlow.js backend").choices([...BACKENDS]).default("wasm"),
  )
  .option("--json", "machine-readable output (JSON on stdout)", false)
  .showHelpAfterError();

function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

/** Prints a result: JSON with --json, else `key: value` lines. */
function report(result: Record<string, unknown>): void {
  if (globals().json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  for (const [k, v] of Object.entries(result)) {
    process.stdout.write(`${k}: ${typeof v === "object" ? JSON.stringify(v) : v}\n`);
  }
}

async function startBackend(): Promise<string> {
  const { backend } = globals();
  if (!isBackendName(backend)) throw new Error(`unknown backend ${backend}`);
  return describeBackendChoice(await selectBackend([backend]));
}

/** A reader that went away (`route | head -1`) ends the process quietly, as Unix tools do. */
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

/** The tokenizer and a model or router must share one vocabulary, or the ids mean nothing. */
function sameVocabulary(what: string, size: number, tokenizer: { vocabSize: number }): void {
  if (size !== tokenizer.vocabSize)
    throw new Error(
      `${what} has ${size} tokens but the tokenizer has ${tokenizer.vocabSize}: they were not made together`,
    );
}

/** Wraps an action: clean one-line errors, exit code 1, no stack traces. */
function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      Progress.stopAll(); // a bar left running keeps the process alive after its error
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  };
}

program
  .command("train-tokenizer")
  .description("train a byte-level BPE tokenizer and write a Hugging Face tokenizer.json")
  .argument("<files...>", "UTF-8 text files to learn from")
  .requiredOption("--out <file>", "where to write tokenizer.json")
  .option(
    "--vocab-size <n>",
    "vocabulary size (incl. 3 special tokens and 256 bytes)",
    int("vocab size", 259, MAX_VOCAB_SIZE),
    4096,
  )
  .option(
    "--min-frequency <n>",
    "merge only pairs seen at least this often",
    int("min frequency", 1),
    2,
  )
  .option("--manifest <file>", "register the tokenizer in this manifest.json")
  .option("--name <name>", "artifact name in the manifest", "tokenizer")
  .action(
    action(
      async (
        files: string[],
        o: {
          out: string;
          vocabSize: number;
          minFrequency: number;
          manifest?: string;
          name: string;
        },
      ) => {
        const texts = await Promise.all(files.map(readText));
        const docs = texts.flatMap(splitDocuments);
        if (docs.every((d) => d.trim() === ""))
          throw new Error(`${files.join(", ")}: no text to learn from`);
        const bar = new Progress("merges", o.vocabSize - 259);
        const json = trainBpe(docs, {
          vocabSize: o.vocabSize,
          minFrequency: o.minFrequency,
          onProgress: (done) => bar.update(done),
        });
        bar.stop();
        const wanted = o.vocabSize - 259;
        if (json.model.merges.length < wanted)
          process.stderr.write(
            `note: the text supports ${json.model.merges.length} merges (pairs seen at least ${o.minFrequency} times), not ${wanted}: the vocabulary has ${json.model.merges.length + 259} tokens\n`,
          );
        await writeFileMakingDirs(o.out, JSON.stringify(json));
        const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
        const vocabSize = Object.keys(json.model.vocab).length;
        if (o.manifest) {
          await registerArtifact(
            o.manifest,
            { name: o.name, kind: "tokenizer", config: { vocabSize } },
            [o.out],
          );
        }
        report({ out: o.out, vocabSize, merges: json.model.merges.length, trainingBytes: bytes });
      },
    ),
  );

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
  .option("--heads <n>", "attention heads (new models)", int("heads", 1), CLI_MODEL_DEFAULTS.nHeads)
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
      const teacher = o.teacher ? await loadModelDir(o.teacher) : undefined;
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
          ? { loss: o.kd, temperature: o.temperature, alpha: parseAlphaSpec(o.alpha), mode: o.mode }
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

program
  .command("eval")
  .description("validation loss and perplexity of a model on a text file")
  .option("--model <dir>", "saved model folder", SHIPPED.teacher)
  .option("--tokenizer <file>", "tokenizer.json", SHIPPED.tokenizer)
  .requiredOption("--text <file>", "text to score")
  .option(
    "--seq-len <n>",
    "window length (default: the model's context)",
    int("sequence length", 1),
  )
  .option("--batch-size <n>", "windows per batch", int("batch size", 1), 8)
  .option("--max-batches <n>", "stop after N batches (default: all)", int("max batches", 1))
  .action(
    action(
      async (o: {
        model: string;
        tokenizer: string;
        text: string;
        seqLen?: number;
        batchSize: number;
        maxBatches?: number;
      }) => {
        await startBackend();
        const tokenizer = await loadTokenizer(o.tokenizer);
        const model = await loadModelDir(o.model);
        sameVocabulary(`the model ${o.model}`, model.config.vocabSize, tokenizer);
        const tokens = encodeCorpus(tokenizer, await readText(o.text));
        const seqLen = o.seqLen ?? model.config.contextLength;
        const windows = Math.ceil((tokens.length - 1) / seqLen);
        const bar = new Progress(
          "batches",
          Math.min(Math.ceil(windows / o.batchSize), o.maxBatches ?? Number.POSITIVE_INFINITY),
        );
        const result = await evaluate(model, tokens, {
          seqLen,
          batchSize: o.batchSize,
          maxBatches: o.maxBatches,
          onProgress: (d) => bar.update(d),
        });
        bar.stop();
        model.dispose();
        if (!Number.isFinite(result.loss) || !Number.isFinite(result.perplexity))
          throw new Error(
            `the loss is ${result.loss}: the model gives no finite probabilities (are its files intact?)`,
          );
        report({ model: o.model, text: o.text, ...result });
      },
    ),
  );

program
  .command("generate")
  .description("sample a continuation of a prompt")
  .option("--model <dir>", "saved model folder", SHIPPED.teacher)
  .option("--tokenizer <file>", "tokenizer.json", SHIPPED.tokenizer)
  .option("--prompt <text>", "prompt text (default: empty, i.e. just <bos>)", "")
  .option("--max-tokens <n>", "new tokens at most", int("max tokens", 0), 64)
  .option("--temperature <t>", "0 = greedy", float("temperature", 0, 10), 0.8)
  .option("--top-k <k>", "keep the k most likely tokens (0 = all)", int("top-k", 0), 40)
  .option("--top-p <p>", "nucleus sampling mass", float("top-p", 1e-6, 1), 0.95)
  .option("--seed <n>", "sampling seed", int("seed", 0), 0)
  .option("--no-cache", "recompute the window for every token (slower; for comparison)")
  .option(
    "--code",
    "the prompt is code: keep its blank lines in one document (prose paragraphs become documents, as in training)",
  )
  .action(
    action(
      async (o: {
        model: string;
        tokenizer: string;
        prompt: string;
        code?: boolean;
        maxTokens: number;
        temperature: number;
        topK: number;
        topP: number;
        seed: number;
        cache: boolean;
      }) => {
        await startBackend();
        const tokenizer = await loadTokenizer(o.tokenizer);
        const model = await loadModelDir(o.model);
        sameVocabulary(`the model ${o.model}`, model.config.vocabSize, tokenizer);
        const prompt = encodePrompt(tokenizer, o.prompt, !o.code);
        const ids: number[] = [];
        let shown = "";
        const started = performance.now();
        let firstTokenMs = 0;
        const options = {
          maxNewTokens: o.maxTokens,
          temperature: o.temperature,
          topK: o.topK,
          topP: o.topP,
          seed: o.seed,
          stopOnEos: true,
          useCache: o.cache,
        };
        if (!globals().json) process.stdout.write(o.prompt);
        for await (const t of generate(model, prompt, options)) {
          if (ids.length === 0) firstTokenMs = performance.now() - started;
          ids.push(t.id);
          // Stream whole characters only: a token can end inside a multi-byte UTF-8 character.
          const text = tokenizer.decode(ids);
          if (!globals().json && !text.endsWith("\uFFFD")) {
            process.stdout.write(text.slice(shown.length));
            shown = text;
          }
        }
        const seconds = (performance.now() - started) / 1000;
        const text = tokenizer.decode(ids);
        if (globals().json)
          report({ prompt: o.prompt, text, ids, tokensPerSec: ids.length / seconds, firstTokenMs });
        else process.stdout.write(`${text.slice(shown.length)}\n`);
        model.dispose();
      },
    ),
  );

program
  .command("train-router")
  .description(
    "train the language router (TF-IDF over token ids, optionally character n-grams, + a linear classifier)",
  )
  .requiredOption("--tokenizer <file>", "tokenizer.json")
  .requiredOption(
    "--data <class=file...>",
    "one text file per class (a new language too): en=… fr=… de=… py=… es=…",
  )
  .requiredOption("--out <file>", "where to write router.json")
  .option("--none <file>", 'text of none of the classes: adds a "none of these" class')
  .option("--name <class=Name...>", "display names of classes beyond en, fr, de, py", [])
  .option("--code <class...>", "classes whose text is code (laid out as one document)", ["py"])
  .addOption(
    new Option("--classifier <kind>", "classifier").choices([...CLASSIFIERS]).default("logreg"),
  )
  .addOption(
    new Option("--features <set>", "tokens (the paper's) or tokens+chars")
      .choices([...FEATURE_SETS])
      .default("tokens"),
  )
  .option(
    "--examples <n>",
    "training snippets of 20–1000 characters per class",
    int("examples", 1),
    ROUTER_EXAMPLES_PER_LANGUAGE,
  )
  .option("--epochs <n>", "training epochs (logreg, svm)", int("epochs", 1))
  .option("--seed <n>", "shuffle seed", int("seed", 0), 0)
  .option("--manifest <file>", "register the router in this manifest.json")
  .option("--artifact <name>", "artifact name in the manifest", "router")
  .action(
    action(
      async (o: {
        tokenizer: string;
        data: string[];
        out: string;
        none?: string;
        name: string[];
        code: string[];
        classifier: ClassifierKind;
        features: FeatureSet;
        examples: number;
        epochs?: number;
        seed: number;
        manifest?: string;
        artifact: string;
      }) => {
        const tokenizer = await loadTokenizer(o.tokenizer);
        const names = new Map<string, string>(Object.entries(LANGUAGE_NAMES));
        for (const pair of o.name) {
          const [id, name] = pair.split("=", 2);
          if (!id || !name) throw new Error(`--name expects class=Name, got ${pair}`);
          names.set(id, name);
        }
        const texts: LanguageText[] = [];
        const classes: RouterClass[] = [];
        for (const pair of o.data) {
          const [id, file] = pair.split("=", 2);
          if (!/^[a-z][a-z0-9_-]{0,15}$/.test(id ?? "") || id === NONE || !file)
            throw new Error(`--data expects class=file with a lower-case class id, got ${pair}`);
          if (classes.some((c) => c.id === id)) throw new Error(`--data names ${id} twice`);
          texts.push({ label: id, train: await readText(file) });
          classes.push({
            id,
            name: names.get(id) ?? id,
            expert: expertName(id),
            layout: o.code.includes(id) ? "code" : "prose",
          });
        }
        if (classes.length < 2) throw new Error("--data needs at least two classes");
        if (o.none) {
          texts.push({ label: NONE, train: await readText(o.none) });
          classes.push(NONE_CLASS);
        }
        const { train: examples } = routerDataset(texts, (s) => tokenizer.encode(s), {
          perLanguage: o.examples,
          evalSnippets: 0,
          codeClasses: codeClassIds(classes, o.features),
        });
        // 80/20 split, stratified by taking every fifth example of each class.
        const held = examples.filter((_, i) => i % 5 === 4);
        const fit = examples.filter((_, i) => i % 5 !== 4);
        const fitOptions = {
          ...routerFitOptions(o.classifier, tokenizer.vocabSize, o.features),
          ...(o.epochs ? { epochs: o.epochs } : {}),
          classes,
          seed: o.seed,
        };
        const ids = classes.map((c) => c.id);
        // With a none class, its thresholds are chosen on the held-out fifth (by length); the
        // saved router is then refit on every example.
        const heldByLength = new Map<number, RouterExample[]>();
        for (const e of held.filter((x) => x.label !== NONE)) {
          const bucket = EVAL_LENGTHS.find((l) => (e.text?.length ?? 0) <= l) ?? 1000;
          heldByLength.set(bucket, [...(heldByLength.get(bucket) ?? []), e]);
        }
        const { router: final, uncalibrated } = fitRouter(fit, heldByLength, {
          ...fitOptions,
          maxFalseNone: ROUTER_MAX_FALSE_NONE,
          refitOn: examples,
        });
        const heldReport = classificationReport(
          held.map((e) => e.label),
          held.map((e) => uncalibrated.predict(e).label),
          ids,
        );
        await writeFileMakingDirs(o.out, JSON.stringify(final.toJSON()));
        const metrics = {
          heldOutAccuracy: heldReport.accuracy,
          heldOutWeightedF1: heldReport.weighted.f1,
          heldOutExamples: held.length,
        };
        if (o.manifest) {
          await registerArtifact(
            o.manifest,
            {
              name: o.artifact,
              kind: "router",
              config: {
                classifier: o.classifier,
                features: o.features,
                vocabSize: tokenizer.vocabSize,
                classes: ids,
              },
              training: { examplesPerClass: o.examples, epochs: fitOptions.epochs, seed: o.seed },
              metrics,
            },
            [o.out],
          );
        }
        report({
          out: o.out,
          classifier: o.classifier,
          features: o.features,
          classes: ids,
          trainingExamples: examples.length,
          ...metrics,
          confusion: heldReport.confusion,
        });
      },
    ),
  );

program
  .command("route")
  .description(
    'route text to the router\'s classes (en|fr|de|py, none…): --text, or JSONL lines ({"text": …}); one JSONL line out per text',
  )
  .option("--router <file>", "router.json", SHIPPED.router)
  .option("--tokenizer <file>", "tokenizer.json", SHIPPED.tokenizer)
  .option("--text <text>", "one text to route")
  .option("--input <file>", "JSONL input (default: standard input)")
  .action(
    action(async (o: { router: string; tokenizer: string; text?: string; input?: string }) => {
      const tokenizer = await loadTokenizer(o.tokenizer);
      const router = Router.fromJSON(await readJson(o.router));
      sameVocabulary(`the router ${o.router}`, router.vocabSize, tokenizer);
      const routeOne = (text: string) => {
        if (text.trim() === "") throw new Error("the text is empty: there is nothing to route");
        const { label, top, probs, noneThreshold } = router.route(text, (s) => tokenizer.encode(s));
        const name = router.classes.find((c) => c.id === label)?.name ?? label;
        return { label, name, top, probs, noneThreshold };
      };
      if (o.text !== undefined) {
        process.stdout.write(`${JSON.stringify(routeOne(o.text))}\n`);
        return;
      }
      const input = o.input ? await readText(o.input) : await readStdin();
      const { outputs, bad } = routeJsonLines(input, routeOne);
      for (const out of outputs) {
        if ("error" in out) process.stderr.write(`line ${out.line}: ${out.error}\n`);
        process.stdout.write(`${JSON.stringify(out)}\n`);
      }
      if (bad > 0) process.exitCode = 2;
    }),
  );

program
  .command("add-language")
  .description(
    "add a language: the router re-fitted with one more class, a new expert (distilled or CE only), and a fine-tuned shared model for contrast",
  )
  .requiredOption("--name <id>", "the new class id (lower case), e.g. es")
  .requiredOption("--text <file>", "the language's text (UTF-8; the last tenth is held out)")
  .option("--display-name <name>", "its display name (default: the id)")
  .option("--no-distil", "train the new expert with CE only (default: distilled from the teacher)")
  .option(
    "--steps <n>",
    "training steps of the expert and of the shared model",
    int("steps", 1),
    ADD_LANGUAGE.steps,
  )
  .option("--seed <n>", "seed", int("seed", 0), 1)
  .option(
    "--models <dir>",
    "the shipped models (tokenizer, teacher, common expert)",
    SHIPPED_MODELS,
  )
  .option("--corpora <dir>", "the classes' texts (en, fr, de, py, none)", SHIPPED_CORPORA)
  .option(
    "--out <dir>",
    "where to write router.json, expert-<id>/ and manifest.json",
    "data/build/added",
  )
  .action(
    action(
      async (o: {
        name: string;
        text: string;
        displayName?: string;
        distil: boolean;
        steps: number;
        seed: number;
        models: string;
        corpora: string;
        out: string;
      }) => {
        if (
          !/^[a-z][a-z0-9_-]{0,15}$/.test(o.name) ||
          [...LANGUAGES, NONE].includes(o.name as never)
        )
          throw new Error(`--name must be a new lower-case class id, not ${o.name}`);
        await startBackend();
        const tokenizer = await loadTokenizer(join(o.models, "tokenizer.json"));
        const language = { id: o.name, name: o.displayName ?? o.name };
        const text = await readText(o.text);
        const texts = [];
        for (const label of [...LANGUAGES, NONE])
          texts.push({ label, text: await readText(join(o.corpora, `${label}.txt`)) });
        texts.push({ label: o.name, text });
        const heldOut = Object.fromEntries(
          texts
            .filter((t) => LANGUAGES.includes(t.label as never))
            .map((t) => [t.label, heldOutPart(t.text)]),
        );
        const expertFiles = (lang: string) =>
          readdirSync(join(o.models, expertName(lang))).map((f) =>
            join(o.models, expertName(lang), f),
          );
        const fingerprint = async () =>
          Object.fromEntries(
            await Promise.all(
              LANGUAGES.map(async (lang) => [
                expertName(lang),
                await sha256Hex(
                  Buffer.concat(
                    await Promise.all(
                      expertFiles(lang)
                        .sort()
                        .map((f) => readFile(f)),
                    ),
                  ),
                ),
              ]),
            ),
          );
        const before = await fingerprint();
        const { router, report: routerReport } = routerWithLanguage(
          texts,
          tokenizer,
          language,
          o.seed,
        );
        const teacher = o.distil ? await loadModelDir(join(o.models, "teacher")) : undefined;
        const shared = await loadModelDir(join(o.models, ADD_LANGUAGE.shared));
        const bar = new Progress("add-language", 2 * o.steps);
        let done = 0;
        try {
          const models = await trainLanguageModels({
            tokenizer,
            language: o.name,
            data: languageData(tokenizer, text),
            heldOut,
            shared,
            steps: o.steps,
            seed: o.seed,
            teacher,
            onStep: () => bar.update(++done),
          });
          bar.stop();
          await mkdir(o.out, { recursive: true });
          const routerPath = join(o.out, "router.json");
          await writeFile(routerPath, JSON.stringify(router.toJSON()));
          const manifest = join(o.out, "manifest.json");
          await registerArtifact(
            manifest,
            {
              name: "router",
              kind: "router",
              config: {
                classifier: "logreg",
                features: "tokens+chars",
                classes: routerReport.classes,
              },
              training: { texts: `${o.corpora} + ${o.text}`, seed: o.seed },
              metrics: {
                accuracyByLength: routerReport.accuracyByLength,
                accuracyAtLeast100Chars: routerReport.report.accuracy,
              },
            },
            [routerPath],
          );
          const expertDir = join(o.out, expertName(o.name));
          const paths = await saveModelDir(models.expert, expertDir);
          await registerArtifact(
            manifest,
            {
              name: expertName(o.name),
              kind: "gpt",
              config: { ...models.expert.config },
              training: { steps: o.steps, distilled: o.distil, seed: o.seed },
              metrics: { validationPerplexity: { [o.name]: models.expertPerplexity } },
            },
            paths,
          );
          models.expert.dispose();
          const after = await fingerprint();
          report({
            out: o.out,
            classes: routerReport.classes,
            routerAccuracyByLength: routerReport.accuracyByLength,
            expertPerplexity: models.expertPerplexity,
            sharedModel: ADD_LANGUAGE.shared,
            sharedBefore: models.shared.before,
            sharedAfter: models.shared.after,
            existingExpertsUnchanged: LANGUAGES.every(
              (l) => before[expertName(l)] === after[expertName(l)],
            ),
            expertWeightsSha256: after,
          });
        } finally {
          bar.stop();
          shared.dispose();
          teacher?.dispose();
        }
      },
    ),
  );

program
  .command("bench")
  .description("measure matmul GFLOP/s, training throughput and generation speed on this backend")
  .option("--quick", "tiny settings (seconds, for smoke tests)", false)
  .option(
    "--candidates",
    "also measure the teacher sizes considered when choosing the teacher",
    false,
  )
  .option(
    "--browser",
    "also measure the built site in Chromium: default run and race seconds, generation vs the CLI, WASM threads",
    false,
  )
  .option(
    "--router",
    "only the routers: accuracy by length, none of these, and texts/s beside eld, on the same texts",
    false,
  )
  .action(
    action(
      async (o: { quick: boolean; candidates: boolean; browser: boolean; router: boolean }) => {
        // Loaded here, not at start: they pull in Chromium's driver, Vite and eld's dictionaries.
        if (o.router) return (await import("./router-bench")).runRouterBench();
        const backend = await startBackend();
        const { runBench } = await import("./bench");
        await runBench({
          quick: o.quick,
          backend,
          json: globals().json,
          candidates: o.candidates,
          browser: o.browser,
        });
      },
    ),
  );

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// `npm run cli -- --version` reads the package version.
const pkg = JSON.parse(await readFile(join(import.meta.dirname, "..", "package.json"), "utf8")) as {
  version: string;
};
program.version(pkg.version);
await program.parseAsync(process.argv);
