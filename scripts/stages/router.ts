/** Stage `router`: the paper's router and the default one, fitted, scored and shipped. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LANGUAGES } from "../../src/ml/languages";
import {
  ROUTER_BARE_PROSE_MAX_CHARS,
  ROUTER_EVAL_SNIPPETS,
  ROUTER_MAX_FALSE_NONE,
  routerFitOptions,
  SHIPPED_ROUTER_EXAMPLES_PER_TEXT,
  SHIPPED_ROUTER_NONE_TEXT_SHARE,
  SHIPPED_ROUTER_PROSE_TEXT_SHARE,
  VOCAB_SIZE,
} from "../../src/ml/presets";
import {
  codeClassIds,
  fitRouter,
  LANGUAGE_CLASSES,
  type LanguageText,
  NONE,
  NONE_CLASS,
  routerDataset,
} from "../../src/ml/router";
import type { BpeTokenizer } from "../../src/ml/tokenizer";
import { loadTokenizer, readText, registerArtifact } from "../node-io";
import { Progress } from "../progress";
import { evaluateRouter, lengthTable, loadRouterEvalSets } from "../router-eval";
import { MANIFEST, MODELS, ROOT, TOKENIZER, trainText, valText } from "./paths";

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
export async function fitShippedRouter(
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

export async function routerStage(): Promise<void> {
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
