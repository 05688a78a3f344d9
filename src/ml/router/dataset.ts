/** Router examples cut from corpora: training snippets of mixed lengths, evaluation snippets of one length. */
import { splitDocuments } from "../data";
import { ROUTER_BARE_PROSE_MAX_CHARS } from "../presets/router";
import { createRng } from "../random";
import type { RouterClass } from "./classes";
import { type RouterExample, routerInput } from "./reading";
import type { FeatureSet } from "./router-file";

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

/**
 * A sign of code that prose here hardly has: an operator or bracket, markup (`, @, #), a line
 * break into an indented line, a colon after a closing parenthesis, a Python keyword or a method
 * call. Parentheses, underscores, colons and quotes alone are no sign: prose that names a
 * function (malloc()) or quotes has them too.
 */
const CODE_SIGN =
  /[=[\]{}#@`\\|<>]|\n[ \t]|\)\s*:|\b(?:def\s|self\b|elif\b|lambda\b|None\b|True\b|False\b)|\w\.\w+\(/;
/** A word as prose writes it: letters (an apostrophe inside), in brackets or quotes, then punctuation. */
const PLAIN_WORD = /^[("']?\p{L}+(?:'\p{L}+)?[)"'.,;:!?]*$/u;

/**
 * A short snippet that reads as prose, with no sign of code and mostly plain words: in a code
 * class's text, a piece of a comment or a docstring. Labelled code, it taught the router to claim
 * short prose, and prose that names a function or two ("of ttyslot() is") as much.
 */
export const isBareProse = (text: string) => {
  if (text.length > ROUTER_BARE_PROSE_MAX_CHARS || CODE_SIGN.test(text)) return false;
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  return 2 * words.filter((w) => PLAIN_WORD.test(w)).length > words.length;
};

/**
 * The code classes among `classes` whose bare-prose snippets a router with `features` leaves out
 * of training: none for the paper's router (token ids only), which is kept as the paper has it.
 */
export const codeClassIds = (classes: readonly RouterClass[], features: FeatureSet) =>
  features === "tokens" ? [] : classes.filter((c) => c.layout === "code").map((c) => c.id);

export function toExamples(
  texts: string[],
  label: string,
  encode: (s: string) => number[],
): RouterExample[] {
  return texts.map((text) => ({ ...routerInput(text, encode), label }));
}

/**
 * One class's text for a router: training text, and held-out text to score it on (optional).
 * A class may have several texts (several sources).
 */
export interface LanguageText {
  label: string;
  /** Training snippets from this text (default: the dataset's perLanguage). */
  examples?: number;
  train: string;
  val?: string;
}

/**
 * Router examples: `perLanguage` training snippets of mixed lengths from each training text (less
 * the bare-prose ones of the `codeClasses`), and `evalSnippets` snippets of each of EVAL_LENGTHS
 * from each held-out text (all kept: the router is scored on what the text is).
 */
export function routerDataset(
  texts: readonly LanguageText[],
  encode: (s: string) => number[],
  options: { perLanguage: number; evalSnippets: number; codeClasses?: readonly string[] },
): { train: RouterExample[]; evalByLength: Map<number, RouterExample[]> } {
  const train: RouterExample[] = [];
  const evalByLength = new Map<number, RouterExample[]>(EVAL_LENGTHS.map((l) => [l, []]));
  for (const [i, { label, train: text, val, examples }] of texts.entries()) {
    const count = examples ?? options.perLanguage;
    let cut = trainingSnippets(text, count, 100 + i);
    if (options.codeClasses?.includes(label)) cut = cut.filter((s) => !isBareProse(s));
    train.push(...toExamples(cut, label, encode));
    if (val === undefined) continue;
    for (const length of EVAL_LENGTHS)
      evalByLength
        .get(length)
        ?.push(...toExamples(snippets(val, length, options.evalSnippets), label, encode));
  }
  return { train, evalByLength };
}

/** Snippets of each of EVAL_LENGTHS from a held-out text, as examples of `label`. */
export function evalSnippets(
  text: string,
  label: string,
  encode: (s: string) => number[],
  limit: number,
): Map<number, RouterExample[]> {
  return new Map(
    EVAL_LENGTHS.map((length) => [
      length,
      toExamples(snippets(text, length, limit), label, encode),
    ]),
  );
}
