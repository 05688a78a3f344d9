/**
 * The paper's experiments at small scale, shared by the CLI (`npm run reproduce`) and the browser:
 *   kdVariants   CE only, KD only, fixed α, adaptive α, combined vs alternating, forward KL·T² vs
 *                the paper's "inverse KL" vs reverse KL
 *   forgetting   sequential training (one language after another) vs balanced batches vs
 *                separate experts behind the router
 *   moeSetups    PLE, JEET and MoE-CE (see moe.ts), scored in the paper's evaluation settings
 * Router classifiers are compared with `compareRouters`.
 */

import * as tf from "@tensorflow/tfjs";
import { perplexityByLanguage } from "./evaluate";
import { GPT, type LanguageModel } from "./gpt";
import type { Language } from "./languages";
import { MixedExperts, routeStream, sharedEmbedding, trainInTurn } from "./moe";
import { routerFitOptions } from "./presets";
import {
  CLASSIFIERS,
  type ClassifierKind,
  type Router,
  type RouterExample,
  type RouterScore,
  scoreRouter,
  trainRouter,
} from "./router";
import { type StepMetrics, type TrainConfig, type TrainControl, train } from "./train";
import type { ExperimentSettings } from "./train-config";

export type { ExperimentSettings };

export interface LanguageStreams {
  train: Record<Language, Int32Array>;
  val: Record<Language, Int32Array>;
}

export interface RunResult {
  name: string;
  language: Language | "all";
  description: string;
  curve: StepMetrics[];
  perplexity: Partial<Record<Language, number>>;
  seconds: number;
}

export type Progress = (label: string, step: number, total: number) => void;

export async function perplexities(
  model: LanguageModel,
  data: LanguageStreams,
  languages: readonly Language[],
  settings: ExperimentSettings,
): Promise<Partial<Record<Language, number>>> {
  return perplexityByLanguage(model, data.val, languages, {
    seqLen: settings.train.seqLen,
    batchSize: settings.train.batchSize,
    maxBatches: settings.evalBatches,
  });
}

/** Trains a fresh student (same seed every run, so runs differ only in their settings). */
async function trainRun(
  name: string,
  description: string,
  language: Language,
  data: LanguageStreams,
  settings: ExperimentSettings,
  kd: TrainConfig["kd"],
  teacher: LanguageModel | undefined,
  progress?: Progress,
): Promise<RunResult> {
  const started = performance.now();
  const student = GPT.create(settings.student, settings.train.seed);
  const curve: StepMetrics[] = [];
  const config = { ...settings.train, kd };
  for await (const m of train(
    student,
    { train: data.train[language], val: data.val[language] },
    config,
    { teacher: kd ? teacher : undefined },
  )) {
    curve.push(m);
    progress?.(`${language} ${name}`, m.step, config.steps);
  }
  const perplexity = await perplexities(student, data, [language], settings);
  student.dispose();
  return {
    name,
    language,
    description,
    curve,
    perplexity,
    seconds: (performance.now() - started) / 1000,
  };
}

export interface KdVariant {
  name: string;
  description: string;
  kd: TrainConfig["kd"];
}

const forward = { loss: "forward" as const, temperature: 2 };

/** Every variant the paper's KD study compares, plus a true reverse KL. */
export const KD_VARIANTS: readonly KdVariant[] = [
  { name: "ce-only", description: "CE only (α = 1, no teacher)", kd: undefined },
  {
    name: "kd-only",
    description: "KD only (α = 0), forward KL·T²",
    kd: { ...forward, alpha: { kind: "fixed", alpha: 0 }, mode: "combined" },
  },
  {
    name: "fixed-0.5",
    description: "fixed α = 0.5, combined, forward KL·T²",
    kd: { ...forward, alpha: { kind: "fixed", alpha: 0.5 }, mode: "combined" },
  },
  {
    name: "adaptive",
    description: "adaptive α (paper), combined, forward KL·T²",
    kd: { ...forward, alpha: { kind: "adaptive" }, mode: "combined" },
  },
  {
    name: "alternating",
    description: "alternating CE / KD steps, forward KL·T²",
    kd: { ...forward, alpha: { kind: "fixed", alpha: 0.5 }, mode: "alternating" },
  },
  {
    name: "paper-inverse",
    description: "fixed α = 0.5, the paper code's inverse KL (teacher→student CE)",
    kd: {
      loss: "paper-inverse",
      temperature: 1,
      alpha: { kind: "fixed", alpha: 0.5 },
      mode: "combined",
    },
  },
  {
    name: "reverse",
    description: "fixed α = 0.5, reverse KL(student ‖ teacher)·T²",
    kd: { loss: "reverse", temperature: 2, alpha: { kind: "fixed", alpha: 0.5 }, mode: "combined" },
  },
];

export async function kdVariants(
  data: LanguageStreams,
  teacher: LanguageModel,
  settings: ExperimentSettings,
  progress?: Progress,
): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const language of settings.languages) {
    for (const v of KD_VARIANTS) {
      results.push(
        await trainRun(v.name, v.description, language, data, settings, v.kd, teacher, progress),
      );
    }
  }
  return results;
}

export interface ForgettingResult {
  /** Languages in training order. */
  order: Language[];
  /** Validation perplexity of every language after each phase (sequential) or chunk (balanced). */
  sequential: Partial<Record<Language, number>>[];
  balanced: Partial<Record<Language, number>>[];
  /** Separate experts (one per language), each scored on every language's text routed to it. */
  moe: Partial<Record<Language, number>>;
  seconds: number;
}

/** What a forgetting run reports as it goes, and how it is stopped. */
export interface ForgettingHooks {
  progress?: Progress;
  /** The result so far, after each phase (the tables fill in phase by phase). */
  onPhase?: (partial: ForgettingResult) => void;
  /** Stops the run between steps (stop() ends it; the result then holds the phases done). */
  control?: TrainControl;
}

/** Steps of a whole forgetting run: 4 phases each of sequential, balanced and experts. */
export const forgettingSteps = (settings: ExperimentSettings) =>
  3 * settings.languages.length * settings.train.steps;

/**
 * Sequential: one model, `stepsPerPhase` steps on each language in turn (a fresh optimizer per
 * phase). Balanced: one model, the same total steps, each batch from one language, languages in
 * turn. MoE: one expert per language (`stepsPerPhase` steps each); text goes to the expert the
 * router picks.
 */
export async function forgetting(
  data: LanguageStreams,
  settings: ExperimentSettings,
  router: Router,
  hooks: ForgettingHooks = {},
): Promise<ForgettingResult> {
  const { progress, onPhase, control } = hooks;
  const started = performance.now();
  const order = [...settings.languages];
  const steps = settings.train.steps;
  const phaseConfig = { ...settings.train, kd: undefined, evalEvery: 0 };
  const result = (): ForgettingResult => ({
    order,
    sequential: [...sequential],
    balanced: [...balanced],
    moe: { ...moe },
    seconds: (performance.now() - started) / 1000,
  });
  const sequential: Partial<Record<Language, number>>[] = [];
  const balanced: Partial<Record<Language, number>>[] = [];
  const moe: Partial<Record<Language, number>> = {};
  const stopped = () => control?.isStopped ?? false;

  const sequentialModel = GPT.create(settings.student, settings.train.seed);
  for (const lang of order) {
    if (stopped()) break;
    for await (const m of train(sequentialModel, { train: data.train[lang] }, phaseConfig, {
      control,
    }))
      progress?.(`sequential ${lang}`, m.step, steps);
    if (stopped()) break;
    sequential.push(await perplexities(sequentialModel, data, order, settings));
    onPhase?.(result());
  }
  sequentialModel.dispose();

  // Balanced: the same total number of steps, scored after each quarter (a "phase" of equal length).
  const balancedModel = GPT.create(settings.student, settings.train.seed);
  const streams = order.map((l) => data.train[l]);
  for (let phase = 0; phase < order.length; phase++) {
    if (stopped()) break;
    // Each chunk is its own run of `steps` steps, languages in turn within it.
    for await (const m of train(balancedModel, { train: streams }, phaseConfig, { control }))
      progress?.(`balanced chunk ${phase + 1}`, m.step, steps);
    if (stopped()) break;
    balanced.push(await perplexities(balancedModel, data, order, settings));
    onPhase?.(result());
  }
  balancedModel.dispose();

  const experts = new Map<Language, GPT>();
  for (const lang of order) {
    if (stopped()) break;
    const expert = GPT.create(settings.student, settings.train.seed);
    experts.set(lang, expert);
    for await (const m of train(expert, { train: data.train[lang] }, phaseConfig, { control }))
      progress?.(`expert ${lang}`, m.step, steps);
  }
  if (!stopped()) {
    for (const lang of order) {
      const expert = experts.get(routeStream(router, data.val[lang])) as GPT;
      moe[lang] = (await perplexities(expert, data, [lang], settings))[lang];
    }
    onPhase?.(result());
  }
  for (const e of experts.values()) e.dispose();
  return result();
}

type Scores = Partial<Record<Language, number>>;

/** public/results/experiments.json, written by `npm run reproduce` for the app's charts. */
export interface ExperimentsFile {
  format: "mome-experiments";
  version: 1;
  moe: { settings: ExperimentSettings; result: MoeResult };
  forgetting: { settings: ExperimentSettings; result: ForgettingResult };
}

export interface MoeResult {
  languages: Language[];
  /** Which expert the router chose for each language's validation text. */
  routing: Partial<Record<Language, Language>>;
  /** Perplexity of each language's text with the routed expert (MoE-CE: expert + common). */
  routed: { ple: Scores; jeet: Scores; moeCe: Scores };
  /** Each fixed expert on every language: fixed[setup][expert][language]. */
  fixed: { ple: Partial<Record<Language, Scores>>; jeet: Partial<Record<Language, Scores>> };
  /** MoE-CE's routed expert alone and its common expert alone. */
  moeCeExpertAlone: Scores;
  moeCeCommonAlone: Scores;
  /** All of a set-up's language experts averaged (hidden states), on every language. */
  average: { jeet: Scores; moeCe: Scores };
  seconds: number;
}

/**
 * PLE, JEET and MoE-CE with the same student size, steps per language, seed and distillation
 * settings (`kd` from the settings' train config), scored per language.
 */
export async function moeSetups(
  data: LanguageStreams,
  teacher: LanguageModel,
  settings: ExperimentSettings,
  router: Router,
  progress?: Progress,
): Promise<MoeResult> {
  const started = performance.now();
  const langs = [...settings.languages];
  const config = settings.train;
  const score = (model: LanguageModel, only: readonly Language[] = langs) =>
    perplexities(model, data, only, settings);
  const routing = Object.fromEntries(
    langs.map((l) => [l, routeStream(router, data.val[l])]),
  ) as Record<Language, Language>;
  const onStep = (label: string) => (run: number, m: StepMetrics) =>
    progress?.(`${label} ${langs[run] ?? "common"}`, m.step, config.steps);

  /** One model per language (in `langs` order), trained in turn on its language. */
  const trainPerLanguage = (models: LanguageModel[], label: string) =>
    trainInTurn(
      models.map((model, i) => ({ model, data: data.train[langs[i]] })),
      config,
      teacher,
      onStep(label),
    );

  // PLE: independent students.
  const ple = langs.map((_, i) => GPT.create(settings.student, config.seed + i));
  await trainPerLanguage(ple, "PLE");

  // JEET: one shared embedding (tied head), one expert per language.
  const jeetEmbedding = sharedEmbedding(settings.student, config.seed);
  const jeet = langs.map((_, i) =>
    GPT.create(settings.student, config.seed + i, new Map([["wte", jeetEmbedding]])),
  );
  await trainPerLanguage(jeet, "JEET");

  // MoE-CE: as JEET, plus a common expert in every language's model.
  const ceEmbedding = sharedEmbedding(settings.student, config.seed);
  const shared = new Map([["wte", ceEmbedding]]);
  const ceExperts = langs.map((_, i) => GPT.create(settings.student, config.seed + i, shared));
  const common = GPT.create(settings.student, config.seed + langs.length, shared);
  const pairs = ceExperts.map((e) => new MixedExperts([e, common]));
  await trainPerLanguage(pairs, "MoE-CE");

  const result: MoeResult = {
    languages: langs,
    routing,
    routed: { ple: {}, jeet: {}, moeCe: {} },
    fixed: { ple: {}, jeet: {} },
    moeCeExpertAlone: {},
    moeCeCommonAlone: await score(common),
    average: {
      jeet: await score(new MixedExperts(jeet)),
      moeCe: await score(new MixedExperts(ceExperts)),
    },
    seconds: 0,
  };
  for (const [i, lang] of langs.entries()) {
    result.fixed.ple[lang] = await score(ple[i]);
    result.fixed.jeet[lang] = await score(jeet[i]);
  }
  for (const lang of langs) {
    const r = langs.indexOf(routing[lang]);
    result.routed.ple[lang] = result.fixed.ple[routing[lang]]?.[lang];
    result.routed.jeet[lang] = result.fixed.jeet[routing[lang]]?.[lang];
    result.routed.moeCe[lang] = (await score(pairs[r], [lang]))[lang];
    result.moeCeExpertAlone[lang] = (await score(ceExperts[r], [lang]))[lang];
  }
  for (const m of [...ple, ...jeet, ...ceExperts, common]) m.dispose();
  tf.dispose([jeetEmbedding, ceEmbedding]);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

export interface RouterComparison extends RouterScore {
  kind: ClassifierKind;
  seconds: number;
}

/** Fits each classifier on the same examples and scores it on the same validation snippets. */
export function compareRouters(
  trainExamples: readonly RouterExample[],
  evalByLength: Map<number, RouterExample[]>,
  vocabSize: number,
): RouterComparison[] {
  return CLASSIFIERS.map((kind) => {
    const started = performance.now();
    const router = trainRouter(trainExamples, routerFitOptions(kind, vocabSize));
    const seconds = (performance.now() - started) / 1000;
    return { kind, seconds, ...scoreRouter(router, evalByLength) };
  });
}
