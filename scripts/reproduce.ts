/**
 * `npm run reproduce [-- --quick] [--out docs/RESULTS.md]`: runs the paper's experiments at small
 * scale and writes a report with tables, SVG charts, the exact settings, seeds, wall time and
 * machine, and whether each of the paper's findings is reproduced.
 *
 * Full mode uses the shipped tokenizer and teacher and the full corpora. --quick trains a tiny
 * teacher on the bundled corpora and runs every experiment for a few steps: it checks the whole
 * pipeline end to end (in CI), its numbers mean nothing.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Command } from "commander";
import { selectBackend } from "../src/ml/backend";
import { encodeCorpus } from "../src/ml/data";
import {
  compareRouters,
  type ExperimentsFile,
  type ForgettingResult,
  forgetting,
  KD_VARIANTS,
  kdVariants,
  type LanguageStreams,
  type MoeResult,
  moeSetups,
  perplexities,
  type RouterComparison,
  type RunResult,
} from "../src/ml/experiments";
import { GPT } from "../src/ml/gpt";
import { LANGUAGES, type Language } from "../src/ml/languages";
import { REPRODUCE_FULL, REPRODUCE_QUICK, routerFitOptions } from "../src/ml/presets";
import { EVAL_LENGTHS, type LanguageText, routerDataset, trainRouter } from "../src/ml/router";
import { train } from "../src/ml/train";
import { loadModelDir, loadTokenizer, readText } from "./node-io";
import { Progress } from "./progress";
import { accuracyTables, loadRouterEvalSets, shippedRouters } from "./router-eval";
import { lineChart, smooth } from "./svg-chart";

tf.env().set("PROD", true);
const ROOT = join(import.meta.dirname, "..");

const EXPERIMENTS = ["routers", "forgetting", "kd", "moe"] as const;
type Experiment = (typeof EXPERIMENTS)[number];

const program = new Command("reproduce")
  .option("--quick", "tiny settings: checks the pipeline end to end in a few minutes", false)
  .option(
    "--only <list>",
    `run only these (comma-separated: ${EXPERIMENTS.join(", ")}); the report uses cached results for the rest`,
  )
  .option(
    "--report",
    "run nothing: write the report from the cached results (results of an earlier teacher are shown, marked as such)",
    false,
  )
  .option(
    "--out <file>",
    "report path (default docs/RESULTS.md, or data/build/RESULTS.quick.md with --quick)",
  )
  .parse();
const options = program.opts<{ quick: boolean; out?: string; only?: string; report: boolean }>();
if (options.report && options.only) program.error("--report runs nothing: leave out --only");
const selected = new Set<string>(options.report ? [] : (options.only?.split(",") ?? EXPERIMENTS));
for (const e of selected) {
  if (!EXPERIMENTS.includes(e as Experiment) && !/^kd-(en|fr|de|py)$/.test(e)) {
    program.error(`--only: unknown experiment ${e}`);
  }
}
const quick = options.quick;
/** What the app reads for its MoE and forgetting charts. */
const EXPERIMENTS_FILE = join(ROOT, "public", "results", "experiments.json");
const out = options.out ?? join(ROOT, quick ? "data/build/RESULTS.quick.md" : "docs/RESULTS.md");
const chartsDir = join(dirname(out), quick ? `${basename(out, ".md")}-charts` : "charts");

const PRESET = quick ? REPRODUCE_QUICK : REPRODUCE_FULL;
const STUDENT = PRESET.kd.student;
const KD_SETTINGS = PRESET.kd;
const FORGETTING_SETTINGS = PRESET.forgetting;
const MOE_SETTINGS = PRESET.moe;
const ROUTER_EXAMPLES = PRESET.routerExamplesPerLanguage;
/** Finished experiments are kept here, so a stopped run resumes (and the report can be rebuilt). */
const CACHE = quick
  ? join(dirname(out), `${basename(out, ".md")}-runs`)
  : join(ROOT, "docs/results/reproduce");

/** Cached results shown although their settings differ (--report): named in the report. */
const stale: string[] = [];

/**
 * A cached result for the same name and settings, else `fn`'s (then cached) when `run` is true,
 * else undefined (the report then says the experiment has not been run).
 */
async function cached<T>(
  name: string,
  settings: unknown,
  run: boolean,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  const path = join(CACHE, `${name}.json`);
  const saved = existsSync(path)
    ? (JSON.parse(await readFile(path, "utf8")) as { settings: unknown; result: T })
    : undefined;
  if (saved && JSON.stringify(saved.settings) === JSON.stringify(settings)) {
    process.stderr.write(`${name}: cached result\n`);
    return saved.result;
  }
  if (!run) {
    // A result of other settings (an earlier teacher) is shown only when asked for, and marked.
    if (!options.report || !saved) return undefined;
    stale.push(name);
    return saved.result;
  }
  const result = await fn();
  await mkdir(CACHE, { recursive: true });
  await writeFile(path, `${JSON.stringify({ settings, result })}\n`);
  return result;
}

async function streams(): Promise<LanguageStreams> {
  const tokenizer = await loadTokenizer(join(ROOT, "public/models/tokenizer.json"));
  const data = { train: {}, val: {} } as LanguageStreams;
  for (const lang of LANGUAGES) {
    const full = join(ROOT, "data/corpora", lang, "train.txt");
    const trainPath =
      !quick && existsSync(full) ? full : join(ROOT, "public/corpora", `${lang}.txt`);
    data.train[lang] = encodeCorpus(tokenizer, await readText(trainPath));
    data.val[lang] = encodeCorpus(tokenizer, await readText(join(ROOT, "data/val", `${lang}.txt`)));
  }
  return data;
}

/** The shipped teacher, or in --quick mode a tiny one trained here in seconds. */
/**
 * Which teacher the distillation experiments used, for their cache: the shipped teacher's
 * model.json (it names its shards' sha256), so a retrained teacher reruns them.
 */
const TEACHER_ID = quick
  ? "quick"
  : createHash("sha256")
      .update(readFileSync(join(ROOT, "public/models/teacher/model.json")))
      .digest("hex")
      .slice(0, 16);

async function teacherModel(data: LanguageStreams): Promise<GPT> {
  if (!quick) return loadModelDir(join(ROOT, "public/models/teacher"));
  const { config, train: settings } = PRESET.quickTeacher;
  const teacher = GPT.create(config, 1);
  for await (const _ of train(teacher, { train: LANGUAGES.map((l) => data.train[l]) }, settings)) {
  }
  return teacher;
}

const fmt = (v: number | undefined, digits = 2) =>
  v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);
const pct = (v: number) => `${(100 * v).toFixed(2)} %`;
const table = (header: string[], rows: (string | number)[][]) =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

async function chart(name: string, svg: string): Promise<string> {
  await mkdir(chartsDir, { recursive: true });
  await writeFile(join(chartsDir, `${name}.svg`), svg);
  return `![${name}](${relative(dirname(out), join(chartsDir, `${name}.svg`))})`;
}

/** "lower by x %" between two perplexities (positive: a is better). */
const gain = (a: number, b: number) => 1 - a / b;

type Say = (claim: string, agrees: boolean, detail: string) => void;

function moeSection(moe: MoeResult | undefined, say: Say): string[] {
  if (!moe) return notRun("## 3. MoE set-ups (PLE, JEET, MoE-CE)", "moe");
  const langs = moe.languages;
  const row = (label: string, scores: Partial<Record<Language, number>>) => [
    label,
    ...langs.map((l) => fmt(scores[l])),
    fmt(meanOf(scores, langs)),
  ];
  const lines = [
    "## 3. MoE set-ups (PLE, JEET, MoE-CE)",
    "",
    `Each set-up: the same student size, ${MOE_SETTINGS.train.steps} steps per language (batches alternate between languages), KD from the teacher with adaptive α. Routing is per text, by the router: ${langs.map((l) => `${l} → ${moe.routing[l]}`).join(", ")}. Validation perplexity:`,
    "",
    table(
      ["setting", ...langs, "mean"],
      [
        row("PLE, routed expert", moe.routed.ple),
        row("JEET, routed expert", moe.routed.jeet),
        row("MoE-CE, routed expert alone", moe.moeCeExpertAlone),
        row("MoE-CE, common expert alone", moe.moeCeCommonAlone),
        row("MoE-CE, routed + common (mean of hidden states)", moe.routed.moeCe),
        row("JEET, average of all experts", moe.average.jeet),
        row("MoE-CE, average of all language experts", moe.average.moeCe),
      ],
    ),
    "",
    "Each fixed expert on every language (rows: expert; columns: text):",
    "",
    table(
      ["expert", ...langs, "mean"],
      [
        ...langs.map((e) => row(`PLE ${e}`, moe.fixed.ple[e] ?? {})),
        ...langs.map((e) => row(`JEET ${e}`, moe.fixed.jeet[e] ?? {})),
      ],
    ),
    "",
  ];
  const ple = meanOf(moe.routed.ple, langs);
  const jeet = meanOf(moe.routed.jeet, langs);
  const alone = meanOf(moe.moeCeExpertAlone, langs);
  const withCommon = meanOf(moe.routed.moeCe, langs);
  say(
    "PLE and JEET perform similarly",
    Math.abs(1 - jeet / ple) < 0.05,
    `mean routed perplexity PLE ${fmt(ple)}, JEET ${fmt(jeet)} (${pct(Math.abs(1 - jeet / ple))} apart)`,
  );
  say(
    "MoE-CE's expert alone is slightly worse",
    alone > Math.min(ple, jeet),
    `MoE-CE expert alone ${fmt(alone)} vs PLE ${fmt(ple)} / JEET ${fmt(jeet)}`,
  );
  say(
    "MoE-CE with its common expert is close to PLE and JEET",
    Math.abs(1 - withCommon / ((ple + jeet) / 2)) < 0.05,
    `routed + common ${fmt(withCommon)} vs their mean ${fmt((ple + jeet) / 2)}`,
  );
  return lines;
}

const meanOf = (scores: Partial<Record<Language, number>>, langs: readonly Language[]) =>
  langs.reduce((s, l) => s + (scores[l] ?? Number.NaN), 0) / langs.length;

const notRun = (heading: string, experiment: Experiment) => [
  heading,
  "",
  `Not run yet: \`npm run reproduce -- --only ${experiment}${quick ? " --quick" : ""}\`.`,
  "",
];

/**
 * The shipped teacher and experts, from what `npm run models -- teacher-curve | gates |
 * router-seeds | samples` wrote into docs/results: the teacher's validation curve, the quality
 * gates, the router's goals at other training orders and the continuations, so the report shows
 * them beside the experiments.
 */
async function shippedModelsSection(): Promise<string[]> {
  const heading = "## 5. The shipped teacher and its experts";
  if (quick) return [];
  const results = join(ROOT, "docs/results");
  const embed = async (file: string, command: string, asCode = false): Promise<string[]> => {
    const path = join(results, file);
    if (!existsSync(path)) return [`Not written yet: \`${command}\`.`, ""];
    const text = (await readFile(path, "utf8")).trimEnd();
    if (asCode)
      return [`docs/results/${file}, written by \`${command}\`:`, "", "```text", text, "```", ""];
    // Drop the file's title, nest its headings under this section, and point its links from docs/.
    const body = text
      .split("\n")
      .filter((line) => !line.startsWith("# "))
      .map((line) => (line.startsWith("#") ? `#${line}` : line))
      .join("\n")
      .replaceAll("](../", "](");
    return [`From docs/results/${file}.`, "", body.trim(), ""];
  };
  return [
    heading,
    "",
    "### The teacher's validation curve",
    "",
    ...(await embed("teacher-curve.md", "npm run models -- teacher-curve")),
    "### Quality gates",
    "",
    ...(await embed("gates.txt", "npm run models -- gates", true)),
    "### The router's goals at three training orders",
    "",
    ...(await embed("router-seeds.md", "npm run models -- router-seeds")),
    "### Continuations a person can judge",
    "",
    ...(await embed("samples.md", "npm run models -- samples")),
  ];
}

async function kdSection(
  kd: RunResult[] | undefined,
  teacherPpl: Partial<Record<Language, number>> | undefined,
  say: Say,
  notes: string[],
): Promise<string[]> {
  const heading = "## 1. Knowledge distillation: losses, α and modes";
  if (!kd || !teacherPpl) return notRun(heading, "kd");
  const langs = KD_SETTINGS.languages;
  const byVariant = (lang: Language, name: string) =>
    kd.find((r) => r.language === lang && r.name === name) as RunResult;
  const lines = [
    heading,
    "",
    `Student ${STUDENT.dModel}-wide, ${STUDENT.nLayers} layers, ${KD_SETTINGS.train.steps} steps; teacher validation perplexity ${langs.map((l) => `${l} ${fmt(teacherPpl[l])}`).join(", ")}.`,
    "",
    table(
      ["variant", ...langs.map((l) => `${l} perplexity`), "seconds"],
      KD_VARIANTS.map((v) => [
        v.description,
        ...langs.map((l) => fmt(byVariant(l, v.name).perplexity[l])),
        langs.map((l) => fmt(byVariant(l, v.name).seconds, 0)).join(" / "),
      ]),
    ),
    "",
  ];
  for (const lang of langs) {
    const series = KD_VARIANTS.map((v) => ({
      name: v.name,
      points: smooth(
        byVariant(lang, v.name).curve.map((m) => [m.step, m.ce] as [number, number]),
        quick ? 1 : 20,
      ),
    }));
    lines.push(
      await chart(
        `kd-ce-${lang}`,
        lineChart(series, {
          title: `Student training CE (${lang}), moving average`,
          xLabel: "step",
          yLabel: "cross-entropy (nats)",
        }),
      ),
      "",
    );
    const kdSeries = KD_VARIANTS.filter((v) => v.kd).map((v) => ({
      name: v.name,
      points: smooth(
        byVariant(lang, v.name).curve.map((m) => [m.step, m.kd ?? Number.NaN] as [number, number]),
        quick ? 1 : 20,
      ),
    }));
    lines.push(
      await chart(
        `kd-kd-${lang}`,
        lineChart(kdSeries, {
          title: `Student training KD loss (${lang}), moving average`,
          xLabel: "step",
          yLabel: "KD loss",
        }),
      ),
      "",
    );
    const alphaSeries = [
      {
        name: "adaptive α",
        points: byVariant(lang, "adaptive").curve.map((m) => [m.step, m.alpha] as [number, number]),
      },
    ];
    lines.push(
      await chart(
        `kd-alpha-${lang}`,
        lineChart(alphaSeries, {
          title: `Adaptive α during training (${lang})`,
          xLabel: "step",
          yLabel: "α (weight on CE)",
        }),
      ),
      "",
    );
  }
  const mean = (name: string) =>
    langs.reduce((s, l) => s + (byVariant(l, name).perplexity[l] as number), 0) / langs.length;
  const adaptiveVsFixed = gain(mean("adaptive"), mean("fixed-0.5"));
  say(
    "Adaptive α is similar to fixed α, marginally better",
    Math.abs(adaptiveVsFixed) < 0.05 && adaptiveVsFixed >= 0,
    `adaptive perplexity ${adaptiveVsFixed >= 0 ? "lower" : "higher"} than fixed α = 0.5 by ${pct(Math.abs(adaptiveVsFixed))} (mean over ${langs.join(", ")})`,
  );
  const combinedVsAlternating = gain(mean("fixed-0.5"), mean("alternating"));
  say(
    "A combined loss is slightly better than alternating CE and KD steps",
    combinedVsAlternating > 0,
    `combined perplexity ${combinedVsAlternating >= 0 ? "lower" : "higher"} by ${pct(Math.abs(combinedVsAlternating))}`,
  );
  const kdVsCe = gain(mean("fixed-0.5"), mean("ce-only"));
  say(
    "Distillation helps the student (KD vs CE only)",
    kdVsCe > 0,
    `α = 0.5 KD perplexity ${kdVsCe >= 0 ? "lower" : "higher"} than CE only by ${pct(Math.abs(kdVsCe))}`,
  );
  const inverse = gain(mean("paper-inverse"), mean("fixed-0.5"));
  const reverse = gain(mean("reverse"), mean("fixed-0.5"));
  notes.push(
    `- The paper code's "inverse KL" (teacher→student cross-entropy, no temperature) vs forward KL·T²: ${inverse >= 0 ? "lower" : "higher"} perplexity by ${pct(Math.abs(inverse))}; true reverse KL vs forward: ${reverse >= 0 ? "lower" : "higher"} by ${pct(Math.abs(reverse))}. (The paper reports no comparison of these.)`,
  );
  return lines;
}

function routerSection(routers: RouterComparison[] | undefined, say: Say): string[] {
  const heading = "## 2. Router classifiers";
  if (!routers) return notRun(heading, "routers");
  const lines = [
    heading,
    "",
    `Training: ${ROUTER_EXAMPLES} snippets of 20–1000 characters per language from the training text; scored on held-out validation snippets. Precision, recall and F1 are support-weighted over snippets of ≥ 100 characters.`,
    "",
    table(
      [
        "classifier",
        "precision",
        "recall",
        "F1",
        ...EVAL_LENGTHS.map((l) => `acc. ${l} chars`),
        "fit seconds",
      ],
      routers.map((r) => [
        r.kind,
        fmt(r.report.weighted.precision, 4),
        fmt(r.report.weighted.recall, 4),
        fmt(r.report.weighted.f1, 4),
        ...EVAL_LENGTHS.map((l) => pct(r.accuracyByLength[l])),
        fmt(r.seconds, 1),
      ]),
    ),
    "",
  ];
  for (const r of routers) {
    lines.push(
      `Confusion (${r.kind}; rows true, columns predicted, ≥ 100 characters):`,
      "",
      table(
        ["", ...LANGUAGES],
        LANGUAGES.map((l, i) => [l, ...r.report.confusion[i]]),
      ),
      "",
    );
  }
  const best = [...routers].sort((a, b) => b.report.weighted.f1 - a.report.weighted.f1)[0];
  const logreg = routers.find((r) => r.kind === "logreg") as RouterComparison;
  say(
    "Logistic regression is the best router (paper: 99.95 % F1)",
    best.kind === "logreg",
    `F1 ${routers.map((r) => `${r.kind} ${fmt(r.report.weighted.f1, 4)}`).join(", ")}; logistic regression ${pct(logreg.report.weighted.f1)} against the paper's 99.95 %`,
  );
  return lines;
}

/** The shipped routers (the default one and the paper's) beside eld, measured at report time. */
function shippedRoutersSection(tables: string[]): string[] {
  return [
    "### The shipped routers beside eld",
    "",
    'The experiments above use the paper\'s router (TF-IDF over token ids). The app\'s default router adds hashed character n-grams (2–4 characters) beside the token ids, reads how lines break and indent (Python docstrings are wrapped and indented, prose here never is) and which script the letters are in (Latin or another: so Russian, Chinese or Georgian text, even in a script it never trained on, is none of its languages), leaves out emoji (they say nothing of a language; emoji alone go to the common expert) and what code quotes or comments in another script (print("Привет") is Python), weighs counts sublinearly (1 + ln count), learns by AdaGrad (a step per weight, so a rare n-gram learns as fast as a common one) and averages its last epochs, trains on more varied text (man pages, interface strings, game stories, more Python, and text of none of its languages; twice the snippets of that varied prose, so that short prose naming C functions is less often taken for Python; Python\'s short snippets that read as prose, pieces of comments and docstrings even where they name a function, are left out) and has a calibrated "none of these" class that hands other languages and code to the common expert. Measured on the same held-out texts, with eld (the `eld` package) as the yardstick: validation, the out-of-domain set (packages never trained on; several of the choices above were made looking at it) and a second out-of-domain set of other packages, built after those choices and used only to score (the last choice, AdaGrad’s rate, was made with both sets’ figures in view). `npm run bench -- --router` prints these tables and the speed.',
    "",
    "Out of domain, from 100 characters up, nearly every Python text the default router misses is called \"none of these\". Read one by one, few of them are ordinary Python: they are other text inside .py files (C source and shell-style option help in NumPy's strings, a Swedish stop-word list and JavaScript in Sphinx), Pygments' tables of regular expressions for other languages, and Twisted's epytext docstrings (@param, L{…}).",
    "",
    ...tables,
  ];
}

function forgettingSection(forget: ForgettingResult | undefined, say: Say): string[] {
  const heading = "## 4. Catastrophic forgetting";
  if (!forget) return notRun(heading, "forgetting");
  const lines = [
    heading,
    "",
    `Order: ${forget.order.join(" → ")}; ${FORGETTING_SETTINGS.train.steps} steps per phase. Validation perplexity of every language after each phase.`,
    "",
    "Sequential (one language after another):",
    "",
    table(
      ["after phase", ...forget.order],
      forget.sequential.map((p, i) => [
        `${i + 1} (${forget.order[i]})`,
        ...forget.order.map((l) => fmt(p[l])),
      ]),
    ),
    "",
    "Balanced batches (each batch one language, languages in turn; the same number of steps per chunk):",
    "",
    table(
      ["after chunk", ...forget.order],
      forget.balanced.map((p, i) => [String(i + 1), ...forget.order.map((l) => fmt(p[l]))]),
    ),
    "",
    `Separate experts behind the router: ${forget.order.map((l) => `${l} ${fmt(forget.moe[l])}`).join(", ")}.`,
    "",
  ];
  const first = forget.order[0];
  const afterOwn = forget.sequential[0][first] as number;
  const atEnd = forget.sequential[forget.sequential.length - 1][first] as number;
  say(
    "Sequential training forgets earlier languages",
    atEnd > afterOwn * 1.1,
    `${first} perplexity ${fmt(afterOwn)} after its own phase, ${fmt(atEnd)} after the last phase (×${fmt(atEnd / afterOwn)})`,
  );
  const end = forget.balanced[forget.balanced.length - 1];
  const worst = Math.max(
    ...forget.order.map(
      (l) => (end[l] as number) / Math.min(...forget.balanced.map((p) => p[l] as number)),
    ),
  );
  say(
    "Balanced batches do not forget",
    worst < 1.05,
    `at the end every language is within ×${fmt(worst)} of its best perplexity during training`,
  );
  say(
    "The MoE keeps every language",
    (forget.moe[first] as number) < atEnd,
    `${first} perplexity with its routed expert ${fmt(forget.moe[first])} vs ${fmt(atEnd)} for the sequential model at the end`,
  );
  return lines;
}

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

await main();
