/**
 * "Add a language", the modular claim in one call, shared by the browser (Add a language) and the
 * CLI (`add-language`):
 *   - the router re-fitted with one more class (routed to `expert-<id>`);
 *   - a new expert trained on the language (distilled from the teacher, or CE only);
 *   - for contrast, a shared model (the common expert) fine-tuned on the same text and steps,
 *     scored on every language before and after.
 * The existing experts are not touched: nothing here reads or writes them.
 */

import { encodeCorpus } from "./data";
import { evaluate } from "./evaluate";
import { GPT, type LanguageModel } from "./gpt";
import { browserSplit } from "./lanes";
import { expertName } from "./languages";
import {
  ADD_LANGUAGE,
  BROWSER_TRAIN,
  browserTrainConfig,
  EXPERT_KD,
  ROUTER_LAB,
  ROUTER_MAX_FALSE_NONE,
  STUDENT_PRESETS,
} from "./presets";
import { fitLabRouter, LANGUAGE_CLASSES, NONE_CLASS, type RouterClass } from "./router";
import type { TeacherCache } from "./teacher-cache";
import type { BpeTokenizer } from "./tokenizer";
import { type TrainControl, train } from "./train";

/** The router with the new language as one more class, fitted and scored on these texts (as steps). */
export function routerWithLanguage(
  texts: readonly { label: string; text: string }[],
  tokenizer: BpeTokenizer,
  language: { id: string; name: string },
  seed: number,
) {
  const added: RouterClass = {
    id: language.id,
    name: language.name,
    expert: expertName(language.id),
    layout: "prose",
  };
  return fitLabRouter(texts, (s) => tokenizer.encode(s), {
    kind: "logreg",
    features: "tokens+chars",
    vocabSize: tokenizer.vocabSize,
    classes: [...LANGUAGE_CLASSES, added, NONE_CLASS],
    ...ROUTER_LAB,
    maxFalseNone: ROUTER_MAX_FALSE_NONE,
    seed,
  });
}

/** The new language's tokens: training part and the last tenth held out. */
export function languageData(tokenizer: BpeTokenizer, text: string) {
  return browserSplit(encodeCorpus(tokenizer, text));
}

export interface LanguageModels {
  /** The new expert (the caller owns it: save it, then dispose it). */
  expert: GPT;
  expertPerplexity: number;
  /** The shared model's perplexity on every language, before and after its fine-tuning. */
  shared: { before: Record<string, number>; after: Record<string, number> };
}

/**
 * Trains the new expert and fine-tunes `shared` (a copy the caller gives and disposes) on the same
 * data and steps; `onStep` hears every step of both (2 × steps in all).
 */
export async function trainLanguageModels(options: {
  tokenizer: BpeTokenizer;
  language: string;
  data: { train: Int32Array; val: Int32Array };
  /** Held-out text of each language the shared model knew. */
  heldOut: Record<string, string>;
  shared: GPT;
  steps: number;
  seed: number;
  teacher?: LanguageModel;
  teacherCache?: TeacherCache;
  control?: TrainControl;
  onStep?: (label: string) => void;
}): Promise<LanguageModels> {
  const { tokenizer, language, data, steps, seed, control } = options;
  const held: Record<string, Int32Array> = {};
  for (const [lang, text] of Object.entries(options.heldOut))
    held[lang] = encodeCorpus(tokenizer, text);
  held[language] = data.val;
  const score = async (model: GPT) => {
    const out: Record<string, number> = {};
    for (const [lang, tokens] of Object.entries(held))
      out[lang] = (
        await evaluate(model, tokens, {
          seqLen: BROWSER_TRAIN.seqLen,
          batchSize: BROWSER_TRAIN.batchSize,
          maxBatches: ADD_LANGUAGE.evalBatches,
        })
      ).perplexity;
    return out;
  };
  const config = browserTrainConfig({
    steps,
    learningRate: ADD_LANGUAGE.learningRate,
    seed,
    kd: options.teacher ? EXPERT_KD : undefined,
  });
  const expert = GPT.create(
    {
      vocabSize: tokenizer.vocabSize,
      contextLength: config.seqLen,
      tiedHead: true,
      ...STUDENT_PRESETS[ADD_LANGUAGE.preset],
    },
    seed,
  );
  try {
    for await (const m of train(expert, data, config, {
      teacher: options.teacher,
      teacherCache: options.teacherCache,
      control,
      alignedWindows: true,
    }))
      options.onStep?.(`new expert, step ${m.step}`);
    const expertPerplexity = (await score(expert))[language];
    const before = await score(options.shared);
    for await (const m of train(options.shared, data, { ...config, kd: undefined }, { control }))
      options.onStep?.(`shared model, step ${m.step}`);
    const after = await score(options.shared);
    return { expert, expertPerplexity, shared: { before, after } };
  } catch (e) {
    expert.dispose();
    throw e;
  }
}
