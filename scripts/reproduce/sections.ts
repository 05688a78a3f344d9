/** The report's sections, one function each, from the experiments' results. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type ForgettingResult,
  KD_VARIANTS,
  type MoeResult,
  type RouterComparison,
  type RunResult,
} from "../../src/ml/experiments";
import { LANGUAGES, type Language } from "../../src/ml/languages";
import { EVAL_LENGTHS } from "../../src/ml/router";
import { lineChart, smooth } from "../svg-chart";
import { chart, fmt, gain, meanOf, notRun, pct, type Say, table } from "./format";
import {
  FORGETTING_SETTINGS,
  KD_SETTINGS,
  MOE_SETTINGS,
  quick,
  ROOT,
  ROUTER_EXAMPLES,
  STUDENT,
} from "./options";

export function moeSection(moe: MoeResult | undefined, say: Say): string[] {
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

/**
 * The shipped teacher and experts, from what `npm run models -- teacher-curve | gates |
 * router-seeds | samples` wrote into docs/results: the teacher's validation curve, the quality
 * gates, the router's goals at other training orders and the continuations, so the report shows
 * them beside the experiments.
 */
export async function shippedModelsSection(): Promise<string[]> {
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

export async function kdSection(
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

export function routerSection(routers: RouterComparison[] | undefined, say: Say): string[] {
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
export function shippedRoutersSection(tables: string[]): string[] {
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

export function forgettingSection(forget: ForgettingResult | undefined, say: Say): string[] {
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
