import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { dirname, join, relative } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../src/ml/backend";
import {
  compareRouters,
  type ExperimentsFile,
  forgetting,
  KD_VARIANTS,
  kdVariants,
  moeSetups,
  perplexities,
  type RunResult,
} from "../src/ml/experiments";
import type { GPT } from "../src/ml/gpt";
import { LANGUAGES } from "../src/ml/languages";
import { routerFitOptions } from "../src/ml/presets";
import { type LanguageText, routerDataset, trainRouter } from "../src/ml/router";
import { loadTokenizer, readText } from "./node-io";
import { Progress } from "./progress";
import type { Say } from "./reproduce/format";
import {
  EXPERIMENTS_FILE,
  FORGETTING_SETTINGS,
  KD_SETTINGS,
  MOE_SETTINGS,
  options,
  out,
  PRESET,
  quick,
  ROOT,
  ROUTER_EXAMPLES,
  selected,
  TEACHER_ID,
} from "./reproduce/options";
import { cached, stale, streams, teacherModel } from "./reproduce/runs";
import {
  forgettingSection,
  kdSection,
  moeSection,
  routerSection,
  shippedModelsSection,
  shippedRoutersSection,
} from "./reproduce/sections";
import { accuracyTables, loadRouterEvalSets, shippedRouters } from "./router-eval";

async function main(): Promise<void> {
  const started = performance.now();
  const backend = await selectBackend(["wasm"]);
  const data = await streams();
  let teacher: GPT | undefined;
  const getTeacher = async () => {
    teacher ??= await teacherModel(data);
    return teacher;
  };
  // One progress bar per training run.
  let bar: Progress | undefined;
  let last = "";
  const progress = (label: string, step: number, total: number) => {
    if (label !== last) {
      bar?.stop();
      bar = new Progress(label, total);
      last = label;
    }
    bar?.update(step);
  };

  // Router examples serve the classifier comparison and route text in the other experiments.
  const tokenizer = await loadTokenizer(join(ROOT, "public/models/tokenizer.json"));
  const texts: LanguageText[] = [];
  for (const label of LANGUAGES) {
    const full = join(ROOT, "data/corpora", label, "train.txt");
    const train = await readText(
      !quick && existsSync(full) ? full : join(ROOT, "public/corpora", `${label}.txt`),
    );
    texts.push({ label, train, val: await readText(join(ROOT, "data/val", `${label}.txt`)) });
  }
  const { train: routerTrain, evalByLength: routerEval } = routerDataset(
    texts,
    (s) => tokenizer.encode(s),
    { perLanguage: ROUTER_EXAMPLES, evalSnippets: PRESET.routerEvalSnippets },
  );
  const router = trainRouter(routerTrain, routerFitOptions("logreg", tokenizer.vocabSize));
  const encode = (s: string) => tokenizer.encode(s);

  const routers = await cached(
    "routers",
    { examples: ROUTER_EXAMPLES },
    selected.has("routers"),
    async () => compareRouters(routerTrain, routerEval, tokenizer.vocabSize),
  );
  const forget = await cached("forgetting", FORGETTING_SETTINGS, selected.has("forgetting"), () =>
    forgetting(data, FORGETTING_SETTINGS, router, { progress }),
  );
  const kd: RunResult[] = [];
  for (const lang of KD_SETTINGS.languages) {
    const settings = { ...KD_SETTINGS, languages: [lang], teacher: TEACHER_ID };
    const runs = await cached(
      `kd-${lang}`,
      settings,
      selected.has("kd") || selected.has(`kd-${lang}`),
      async () => kdVariants(data, await getTeacher(), settings, progress),
    );
    if (runs) kd.push(...runs);
  }
  const kdComplete = kd.length === KD_SETTINGS.languages.length * KD_VARIANTS.length;
  const teacherPpl = kdComplete
    ? await cached(
        "teacher-perplexity",
        { ...KD_SETTINGS, teacher: TEACHER_ID },
        !options.report,
        async () => perplexities(await getTeacher(), data, KD_SETTINGS.languages, KD_SETTINGS),
      )
    : undefined;
  const moe = await cached(
    "moe",
    { ...MOE_SETTINGS, teacher: TEACHER_ID },
    selected.has("moe"),
    async () => moeSetups(data, await getTeacher(), MOE_SETTINGS, router, progress),
  );
  teacher?.dispose();
  bar?.stop();
  const seconds = (performance.now() - started) / 1000;

  const findings: string[] = [];
  const notes: string[] = [];
  const say: Say = (claim, agrees, detail) =>
    findings.push(`- **${claim}** — ${agrees ? "reproduced" : "not reproduced"}: ${detail}.`);
  const sections = [
    ...(await kdSection(kdComplete ? kd : undefined, teacherPpl, say, notes)),
    ...routerSection(routers, say),
    ...shippedRoutersSection(
      accuracyTables(await shippedRouters(), await loadRouterEvalSets(encode), encode, "####"),
    ),
    ...moeSection(moe, say),
    ...forgettingSection(forget, say),
    ...(await shippedModelsSection()),
  ];
  const settings = {
    kdStudy: KD_SETTINGS,
    forgettingStudy: FORGETTING_SETTINGS,
    moeStudy: MOE_SETTINGS,
    routerExamplesPerLanguage: ROUTER_EXAMPLES,
    teacher: quick ? "tiny, trained here" : "public/models/teacher",
  };
  const lines = [
    `# MoME Lab: the paper's experiments at small scale${quick ? " (--quick: pipeline check, numbers meaningless)" : ""}`,
    "",
    `Written by \`npm run reproduce${quick ? " -- --quick" : ""}\` on ${new Date().toISOString().slice(0, 10)} (this invocation: ${(seconds / 60).toFixed(1)} min; each experiment's own time is in its table or in docs/results/reproduce).`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, TensorFlow.js backend ${backend.name}.`,
    "",
    "Settings (every run of an experiment starts from the same seed; only the named setting differs):",
    "",
    ...Object.entries(settings).map(([k, v]) => `- ${k}: \`${JSON.stringify(v)}\``),
    "",
    ...(stale.length
      ? [
          `**Earlier teacher.** ${stale.join(", ")}: these results were computed with an earlier teacher than the shipped one (id ${TEACHER_ID}), and are shown as they were, with their findings, until \`npm run reproduce -- --only ${[...new Set(stale.map((n) => n.replace(/^(kd-.*|teacher-perplexity)$/, "kd")))].join(",")}\` re-runs them.`,
          "",
        ]
      : []),
    ...sections,
    "## Findings",
    "",
    ...findings,
    ...notes,
    "",
  ];
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${lines.join("\n")}\n`);
  // The MoE set-ups and the forgetting study, for the app's charts (full runs only).
  if (!quick && moe && forget && !stale.includes("moe") && !stale.includes("forgetting")) {
    const experiments: ExperimentsFile = {
      format: "mome-experiments",
      version: 1,
      moe: { settings: MOE_SETTINGS, result: moe },
      forgetting: { settings: FORGETTING_SETTINGS, result: forget },
    };
    await mkdir(dirname(EXPERIMENTS_FILE), { recursive: true });
    await writeFile(EXPERIMENTS_FILE, `${JSON.stringify(experiments)}\n`);
  }
  process.stdout.write(
    `wrote ${relative(ROOT, out)} in ${(seconds / 60).toFixed(1)} min\n${[...findings, ...notes].join("\n")}\n`,
  );
}

tf.env().set("PROD", true);
await main();
