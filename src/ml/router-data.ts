/** Router examples cut from corpora: training snippets of mixed lengths, evaluation snippets of one length. */
import { splitDocuments } from "./data";
import { createRng } from "./random";
import { classificationReport, type Language, type Router, type RouterExample } from "./router";

export const EVAL_LENGTHS = [20, 50, 100, 300, 1000] as const;

/**
 * Consecutive non-overlapping `length`-character windows of the text (documents joined with a
 * blank line), at most `limit`, spread over the whole text.
 */
export function snippets(text: string, length: number, limit: number): string[] {
  const joined = splitDocuments(text).join("\n\n");
  const count = Math.floor(joined.length / length);
  const used = Math.min(count, limit);
  const out: string[] = [];
  for (let i = 0; i < used; i++) {
    const window = Math.floor((i * count) / used);
    out.push(joined.slice(window * length, (window + 1) * length));
  }
  return out;
}

/**
 * The first `length` characters of up to `limit` documents of at least that length, spread over
 * the text: prompts that stay inside one document, as the models saw text in training.
 */
export function documentOpenings(text: string, length: number, limit: number): string[] {
  const long = splitDocuments(text).filter((d) => d.length >= length);
  const used = Math.min(long.length, limit);
  return Array.from({ length: used }, (_, i) =>
    long[Math.floor((i * long.length) / used)].slice(0, length),
  );
}

/** Training snippets of random lengths (20–1000 characters), so the router works as text is typed. */
export function trainingSnippets(text: string, count: number, seed: number): string[] {
  const joined = splitDocuments(text).join("\n\n");
  const rng = createRng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = Math.round(20 * 50 ** rng.next()); // log-uniform in [20, 1000]
    const start = rng.int(Math.max(1, joined.length - length));
    out.push(joined.slice(start, start + length));
  }
  return out;
}

export function toExamples(
  texts: string[],
  label: Language,
  encode: (s: string) => number[],
): RouterExample[] {
  return texts.map((t) => ({ ids: encode(t), label }));
}

/** One language's text for a router: training text, and held-out text to score it on (optional). */
export interface LanguageText {
  label: Language;
  train: string;
  val?: string;
}

/**
 * Router examples: `perLanguage` training snippets of mixed lengths from each training text, and
 * `evalSnippets` snippets of each of EVAL_LENGTHS from each held-out text.
 */
export function routerDataset(
  texts: readonly LanguageText[],
  encode: (s: string) => number[],
  options: { perLanguage: number; evalSnippets: number },
): { train: RouterExample[]; evalByLength: Map<number, RouterExample[]> } {
  const train: RouterExample[] = [];
  const evalByLength = new Map<number, RouterExample[]>(EVAL_LENGTHS.map((l) => [l, []]));
  for (const [i, { label, train: text, val }] of texts.entries()) {
    train.push(...toExamples(trainingSnippets(text, options.perLanguage, 100 + i), label, encode));
    if (val === undefined) continue;
    for (const length of EVAL_LENGTHS)
      evalByLength
        .get(length)
        ?.push(...toExamples(snippets(val, length, options.evalSnippets), label, encode));
  }
  return { train, evalByLength };
}

export interface RouterScore {
  accuracyByLength: Record<number, number>;
  /** Precision, recall, F1 and confusion on every snippet of at least 100 characters. */
  report: ReturnType<typeof classificationReport>;
}

export function scoreRouter(
  router: Router,
  evalByLength: Map<number, RouterExample[]>,
): RouterScore {
  const accuracyByLength: Record<number, number> = {};
  const long: RouterExample[] = [];
  for (const [length, examples] of evalByLength) {
    const predicted = examples.map((e) => router.predict(e.ids).label);
    accuracyByLength[length] = classificationReport(
      examples.map((e) => e.label),
      predicted,
    ).accuracy;
    if (length >= 100) long.push(...examples);
  }
  const report = classificationReport(
    long.map((e) => e.label),
    long.map((e) => router.predict(e.ids).label),
  );
  return { accuracyByLength, report };
}
