/**
 * The router: which of its classes (en, fr, de, py, and any added language) is this text in, or
 * none of them?
 *
 * Features (a sparse vector in blocks, each L2-normalised):
 *   - tokens: the token ids (no special tokens) as the "words" of a TF-IDF vector (raw counts ×
 *     smoothed idf), as in the paper;
 *   - chars (optional): hashed character n-grams (n = 2…4) of the lower-cased text, counts × idf:
 *     short texts carry few tokens but many n-grams;
 *   - with n-grams, optionally: the line layout (LINE_FEATURES) and the scripts of the letters
 *     (SCRIPT_FEATURES).
 * The term frequency is the raw count (the paper's) or sublinear, 1 + ln(count): then a long text's
 * repeated prose n-grams don't drown its few telling ones (a docstring's shebang and quotes).
 * Three classifiers share the linear form score_c = b_c + Σ_j W[c][j] · x_j:
 *   - logreg: multinomial logistic regression with L2 (the paper's best), trained by SGD;
 *   - nb: multinomial Naive Bayes on the features (W = log P(feature | class));
 *   - svm: one-vs-rest linear SVM (hinge loss, L2) trained by SGD.
 * Class probabilities are softmax(scores); for the SVM they are uncalibrated.
 *
 * Classes are data: the file lists them with display names and the expert each one routes to.
 * A class whose expert is null is "none of these" (the common expert takes the text). A text is
 * called none when that class's probability reaches a threshold that depends on the text's length
 * (chosen on data: short texts are noisy, so they need more evidence); otherwise the most probable
 * of the other classes takes it.
 * Pure TypeScript (no tensors): small, exact, and the same in Node and the browser.
 */
import { BOS_ID, EOS_ID, PAD_ID } from "./bpe-trainer";
import { createRng } from "./random";

/** The teacher's four languages: the corpora, the experts and the paper's router classes. */
export const LANGUAGES = ["en", "fr", "de", "py"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  fr: "French",
  de: "German",
  py: "Python",
};

/** The class id of "none of these" in the shipped router. */
export const NONE = "none";

export const CLASSIFIERS = ["logreg", "nb", "svm"] as const;
export type ClassifierKind = (typeof CLASSIFIERS)[number];

/** The paper's features, or the default ones with character n-grams beside the tokens. */
export const FEATURE_SETS = ["tokens", "tokens+chars"] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];

export const TERM_FREQUENCIES = ["raw", "sublinear"] as const;
export type TermFrequency = (typeof TERM_FREQUENCIES)[number];

export interface RouterClass {
  id: string;
  name: string;
  /** The model that takes this class's texts; null: none of these (the common expert). */
  expert: string | null;
  /** How a prompt is laid out for its expert: prose paragraphs as documents, or code as one. */
  layout: "prose" | "code";
}

/** The four languages as router classes, each routed to its expert. */
export const LANGUAGE_CLASSES: readonly RouterClass[] = LANGUAGES.map((id) => ({
  id,
  name: LANGUAGE_NAMES[id],
  expert: `expert-${id}`,
  layout: id === "py" ? "code" : "prose",
}));
export const NONE_CLASS: RouterClass = {
  id: NONE,
  name: "None of these",
  expert: null,
  layout: "prose",
};

/** A text as the router reads it: its token ids and (for character n-grams) the text itself. */
export interface RouterInput {
  ids: readonly number[];
  text?: string;
}

/**
 * An emoji and what joins or modifies it (skin tone, variation selector, zero-width joiner, flag
 * letters, tags), with the spaces before it. Emoji say nothing of a language; read, their byte
 * tokens and n-grams crowded out the words beside them ("Danke 😊" went to French).
 */
const EMOJI =
  /[ \t]*(?:\p{Regional_Indicator}{1,2}|\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)(?:\p{Emoji_Modifier}|\uFE0F|\u20E3|[\u{E0020}-\u{E007F}]|\u200D\p{Extended_Pictographic}\uFE0F?)*/gu;

/** Text with nothing to leave out: no emoji, nothing in another script (most English). */
const ASCII_ONLY = /^\p{ASCII}*$/u;
/** Text that may hold an emoji: every emoji, and the selector that makes one, is from U+231A. */
const MAYBE_EMOJI = /[\u231A-\u{10FFFF}]/u;

/** A blank text, or no ids without a text. */
const nothingToRead = (input: RouterInput) =>
  input.text === undefined ? input.ids.length === 0 : !/\S/.test(input.text);

/** What the router reads of a text, and what it leaves out. */
export interface Reading {
  read: string;
  /** Emoji left out. */
  emoji: number;
  /** Characters left out that code quotes or comments in another script. */
  quoted: number;
}

/**
 * What the router reads of `text`: the text without its emoji, and without what its code quotes
 * or comments in another script (withoutQuotedOtherScripts).
 */
export function routerReading(text: string): Reading {
  if (ASCII_ONLY.test(text)) return { read: text, emoji: 0, quoted: 0 };
  const withoutEmoji = MAYBE_EMOJI.test(text) ? text.replace(EMOJI, "") : text;
  const read = withoutQuotedOtherScripts(withoutEmoji);
  const emoji = withoutEmoji.length === text.length ? 0 : (text.match(EMOJI)?.length ?? 0);
  return { read, emoji, quoted: withoutEmoji.length - read.length };
}

/** What the router reads of `text` (routerReading), encoded. */
export function routerInput(text: string, encode: (s: string) => number[]): RouterInput {
  const { read } = routerReading(text);
  return { ids: encode(read), text: read };
}

export interface RouterExample extends RouterInput {
  label: string;
}

export interface RouterTrainOptions {
  kind: ClassifierKind;
  vocabSize: number;
  features?: FeatureSet;
  /** The classes, in order; every one needs examples. Default: the four languages. */
  classes?: readonly RouterClass[];
  /** Hash buckets of the character n-grams (a power of two). */
  charBuckets?: number;
  /** Raw counts (default, the paper's) or 1 + ln(count). */
  termFrequency?: TermFrequency;
  /** With character n-grams: add the line-layout features (LINE_FEATURES). */
  lineLayout?: boolean;
  /** With character n-grams: add the script features (SCRIPT_FEATURES). */
  scripts?: boolean;
  epochs?: number;
  /**
   * logreg: return the mean of the weights at the end of each epoch of the second half (averaged
   * SGD), not the last ones: steadier from seed to seed.
   */
  averaged?: boolean;
  /** L2 strength (logreg, svm) or additive smoothing (nb). */
  regularization?: number;
  learningRate?: number;
  /**
   * logreg: SGD with one step decaying by epoch (default; the paper's router) or AdaGrad (a step
   * per weight, shrinking with that weight's own gradients).
   */
  optimizer?: "sgd" | "adagrad";
  seed?: number;
  /** Called after each epoch (SGD classifiers) with the share done. */
  onProgress?: (done: number) => void;
}

export interface RouterJson {
  format: "mome-router";
  version: 2;
  kind: ClassifierKind;
  features: FeatureSet;
  classes: RouterClass[];
  vocabSize: number;
  /** Character n-gram hash buckets, a power of two (0 without character features). */
  charBuckets: number;
  /** How counts enter the features; absent in files from before it existed: raw. */
  termFrequency?: TermFrequency;
  /** Whether the line-layout features follow the n-grams; absent in older files: no. */
  lineLayout?: boolean;
  /** Whether the script features come last; absent in older files: no. */
  scripts?: boolean;
  /**
   * The none class's probability from which a text of `chars` characters is called none,
   * ascending by length (interpolated in log length, held flat outside). Empty: argmax decides.
   */
  noneThresholds: NoneThreshold[];
  idf: number[]; // [vocabSize + charBuckets (+ LINE_FEATURES.length) (+ SCRIPT_FEATURES.length)]
  weights: number[][]; // [class][feature]
  bias: number[];
}

export interface NoneThreshold {
  chars: number;
  probability: number;
}

/** A value given at ascending lengths, at `chars`: linear in log length between, flat outside. */
function atLength<T extends { chars: number }>(
  points: readonly T[],
  chars: number,
  value: (point: T) => number,
): number {
  if (chars <= points[0].chars) return value(points[0]);
  for (let i = 1; i < points.length; i++) {
    if (chars > points[i].chars) continue;
    const f =
      Math.log(chars / points[i - 1].chars) / Math.log(points[i].chars / points[i - 1].chars);
    return value(points[i - 1]) + f * (value(points[i]) - value(points[i - 1]));
  }
  return value(points[points.length - 1]);
}

const ascending = (points: readonly { chars: number }[]) =>
  points.every(
    (p, i) =>
      Number.isFinite(p?.chars) && p.chars > 0 && (i === 0 || p.chars > points[i - 1].chars),
  );

export interface Prediction {
  /** The class that takes the text: a class id, or NONE. */
  label: string;
  /** The most probable class, none included. */
  top: string;
  probs: Record<string, number>;
  /** The none probability from which this text would be called none (1: never). */
  noneThreshold: number;
}

/** How much a token or a character n-gram pushed toward each class, relative to the classes' mean. */
export type Push = Record<string, number>;

export interface TokenEvidence {
  position: number;
  id: number;
  push: Push;
}

export interface CharEvidence {
  /** Offset in the text where the n-grams start. */
  offset: number;
  push: Push;
}

export interface Feature {
  kind: "token" | "chars" | "line" | "script";
  /** Token id, n-gram bucket, or index into LINE_FEATURES or SCRIPT_FEATURES. */
  id: number;
  text: string;
  /** Contribution to the winning class's score relative to the classes' mean. */
  push: number;
}

interface SparseVector {
  indices: number[];
  values: number[];
}

const isSpecial = (id: number) => id === PAD_ID || id === BOS_ID || id === EOS_ID;
/** Character n-grams of 2 to 4 characters (single characters add little and cost a quarter). */
const N_MIN = 2;
const N_MAX = 4;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
export const DEFAULT_CHAR_BUCKETS = 1 << 14;

function countIds(ids: readonly number[], vocabSize: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const id of ids) {
    if (isSpecial(id) || !Number.isInteger(id) || id < 0 || id >= vocabSize) continue;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The text as n-grams see it: lower case, framed by spaces (offsets stay those of the text + 1). */
const framed = (text: string) => {
  const lower = text.toLowerCase();
  return ` ${lower.length === text.length ? lower : text} `;
};

/**
 * Calls `visit(bucket, start, n)` for every character n-gram (n = 2…4) of the framed text.
 * FNV-1a over UTF-16 code units, extended one character at a time.
 */
function forEachNgram(
  text: string,
  buckets: number,
  visit: (bucket: number, start: number, n: number) => void,
): void {
  const s = framed(text);
  for (let i = 0; i < s.length; i++) {
    let h = FNV_OFFSET;
    for (let n = 1; n <= N_MAX && i + n <= s.length; n++) {
      h = Math.imul(h ^ s.charCodeAt(i + n - 1), FNV_PRIME);
      if (n >= N_MIN) visit(h & (buckets - 1), i, n);
    }
  }
}

/**
 * Line-layout features, after the n-grams: how a text breaks its lines. Prose here is never
 * hard-wrapped or indented; Python docstrings and code are, so a window of docstring prose still
 * shows it is Python. Each is counted once per line break.
 */
export const LINE_FEATURES = [
  "line break inside a sentence",
  "line indented by a multiple of 4 spaces",
  "line indented by another width",
  "tab-indented line",
  "line ending in a colon",
  "blank line",
] as const;

const [WRAP, INDENT_4K, INDENT_OTHER, TAB, COLON_END, BLANK] = LINE_FEATURES.map((_, i) => i);

/** The line features (indices into LINE_FEATURES) of each line break of `text`, in order. */
function forEachLineBreak(text: string, visit: (feature: number) => void): void {
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    let k = i + 1;
    while (text[k] === " ") k++;
    const spaces = k - i - 1;
    const next = text[k];
    if (next === undefined) return; // the window ends inside the indentation
    const before = text[i - 1];
    if (next === "\n") {
      visit(BLANK);
      continue;
    }
    if (next === "\t") visit(TAB);
    else if (spaces > 0) visit(spaces % 4 === 0 ? INDENT_4K : INDENT_OTHER);
    if (before === ":") visit(COLON_END);
    else if (before !== undefined && /[\p{Ll},;]/u.test(before) && /\p{Ll}/u.test(next))
      visit(WRAP);
  }
}

/**
 * Script features, after the line layout: how many of the text's letters are Latin (as in our
 * languages and in code), of another script (Cyrillic, Greek, Arabic, Han…), and how many
 * characters are symbols outside ASCII (arrows, ©, maths), outside what code quotes
 * (countScripts). The first two tell a text in another script as such, even in a script the
 * router never met.
 */
export const SCRIPT_FEATURES = [
  "letter of the Latin alphabet",
  "letter of another script",
  "symbol outside ASCII (arrows, ©, maths)",
] as const;

const [LATIN, OTHER_SCRIPT, SYMBOL] = SCRIPT_FEATURES.map((_, i) => i);
const NO_SCRIPT = -1;

/** The script feature of each code point met so far (outside ASCII): a lookup, not a regex. */
const scriptOfCodePoint = new Map<number, number>();

function scriptOf(codePoint: number): number {
  if (codePoint < 128) {
    const lower = codePoint | 0x20;
    return lower >= 0x61 && lower <= 0x7a ? LATIN : NO_SCRIPT;
  }
  let script = scriptOfCodePoint.get(codePoint);
  if (script === undefined) {
    const c = String.fromCodePoint(codePoint);
    script = /\p{Script=Latin}/u.test(c)
      ? LATIN
      : /\p{L}/u.test(c)
        ? OTHER_SCRIPT
        : /\p{S}/u.test(c)
          ? SYMBOL
          : NO_SCRIPT;
    scriptOfCodePoint.set(codePoint, script);
  }
  return script;
}

const [NEWLINE, DOUBLE_QUOTE, QUOTE, HASH] = ["\n", '"', "'", "#"].map((c) => c.charCodeAt(0));

const isLetter = (codePoint: number | undefined) => {
  const script = codePoint === undefined ? NO_SCRIPT : scriptOf(codePoint);
  return script === LATIN || script === OTHER_SCRIPT;
};

/**
 * Walks `text` as code reads it, calling `visit(start, end, script, quoted)` for each character
 * but the quote and comment marks themselves: `quoted` is whether it lies between ASCII quotes
 * (' or ", to the end of the line) or after a # (a comment). An apostrophe between two letters
 * (don't, l'homme) opens no quote.
 */
function walkQuotes(
  text: string,
  visit: (start: number, end: number, script: number, quoted: boolean) => void,
): void {
  let openQuote = 0; // the quote character that opened a string on this line, or 0
  let inComment = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === NEWLINE) {
      openQuote = 0;
      inComment = false;
      continue;
    }
    if (openQuote !== 0 && code === openQuote) {
      openQuote = 0;
      continue;
    }
    if (openQuote === 0 && !inComment) {
      if (code === HASH) {
        inComment = true;
        continue;
      }
      const apostrophe =
        code === QUOTE && isLetter(text.codePointAt(i - 1)) && isLetter(text.codePointAt(i + 1));
      if (code === DOUBLE_QUOTE || (code === QUOTE && !apostrophe)) {
        openQuote = code;
        continue;
      }
    }
    const codePoint = text.codePointAt(i) as number;
    const end = codePoint > 0xffff ? i + 2 : i + 1; // a surrogate pair is one character
    visit(i, end, scriptOf(codePoint), openQuote !== 0 || inComment);
    i = end - 1;
  }
}

/**
 * How many characters of `text` have each script feature, into `counts` (by SCRIPT_FEATURES).
 * What code quotes is left out (walkQuotes) unless that leaves no letter: code quotes and
 * comments in its writers' language while its own letters are Latin, so `print("Привет")  # мир`
 * reads as Latin, and a quotation alone still counts. `quoted` is scratch space.
 */
function countScripts(text: string, counts: Int32Array, quoted: Int32Array): void {
  counts.fill(0);
  quoted.fill(0);
  walkQuotes(text, (_start, _end, script, inQuotes) => {
    if (script !== NO_SCRIPT) (inQuotes ? quoted : counts)[script]++;
  });
  if (counts[LATIN] + counts[OTHER_SCRIPT] === 0)
    for (let f = 0; f < counts.length; f++) counts[f] += quoted[f];
}

/**
 * `text` less what code quotes or comments outside ASCII and the Latin alphabet (Cyrillic, Han,
 * their punctuation), unless nothing else has letters: `print("Привет, " + name)` reads as
 * `print(", " + name)`, which is Python. Read, the strings' n-grams and byte tokens outweighed
 * the code of a short program.
 */
function withoutQuotedOtherScripts(text: string): string {
  const dropped: number[] = []; // start, end, start, end…
  let lettersOutside = 0;
  walkQuotes(text, (start, end, script, quoted) => {
    if (!quoted) lettersOutside += Number(script === LATIN || script === OTHER_SCRIPT);
    else if (script !== LATIN && text.charCodeAt(start) > 0x7f) dropped.push(start, end);
  });
  if (dropped.length === 0 || lettersOutside === 0) return text;
  let out = "";
  let from = 0;
  for (let k = 0; k < dropped.length; k += 2) {
    out += text.slice(from, dropped[k]);
    from = dropped[k + 1];
  }
  return out + text.slice(from);
}

interface FeatureBlocks {
  vocabSize: number;
  charBuckets: number;
  termFrequency: TermFrequency;
  /** LINE_FEATURES.length with line-layout features, else 0. */
  lineFeatures: number;
  /** SCRIPT_FEATURES.length with script features, else 0. */
  scriptFeatures: number;
}

/** The block of feature j: 0 token ids, 1 character n-grams, 2 line layout, 3 scripts. */
const blockOf = (blocks: FeatureBlocks, j: number) => {
  const afterChars = blocks.vocabSize + blocks.charBuckets;
  return j < blocks.vocabSize
    ? 0
    : j < afterChars
      ? 1
      : j < afterChars + blocks.lineFeatures
        ? 2
        : 3;
};

/** Every feature's count: token ids, n-gram buckets, line and script features. */
const featureCount = (b: FeatureBlocks) =>
  b.vocabSize + b.charBuckets + b.lineFeatures + b.scriptFeatures;

/** 1 + ln(count) for the small counts that are nearly all of them, computed once. */
const SUBLINEAR = Float64Array.from({ length: 256 }, (_, count) => 1 + Math.log(count));

/** A feature's count as it enters the vector. */
const weighting = (tf: TermFrequency) =>
  tf === "sublinear"
    ? (count: number) => (count < 256 ? SUBLINEAR[count] : 1 + Math.log(count))
    : (count: number) => count;

/**
 * Counts features into a dense scratch array and hands back the touched indices (the scratch is
 * reused from call to call: routing as the user types allocates almost nothing).
 */
class FeatureCounter {
  private readonly counts: Float64Array;
  private readonly touched: number[] = [];
  /** Where each block's indices end in `touched` (fill adds tokens, n-grams, lines, scripts). */
  private readonly blockEnds = [0, 0, 0, 0];
  private readonly scriptCounts = new Int32Array(SCRIPT_FEATURES.length);
  private readonly quotedScriptCounts = new Int32Array(SCRIPT_FEATURES.length);
  readonly tf: (count: number) => number;

  constructor(readonly blocks: FeatureBlocks) {
    this.counts = new Float64Array(featureCount(blocks));
    this.tf = weighting(blocks.termFrequency);
  }

  /** Counts `input`'s features into the scratch; the caller sets the touched counts back to 0. */
  private fill(input: RouterInput): number[] {
    const { counts, touched, blockEnds } = this;
    const { vocabSize, charBuckets } = this.blocks;
    touched.length = 0;
    const add = (j: number) => {
      if (counts[j] === 0) touched.push(j);
      counts[j]++;
    };
    for (const id of input.ids)
      if (!isSpecial(id) && Number.isInteger(id) && id >= 0 && id < vocabSize) add(id);
    blockEnds.fill(touched.length);
    if (charBuckets === 0) return touched;
    if (input.text === undefined)
      throw new Error("router: this router reads the text, not only ids");
    // forEachNgram, inlined: this loop is most of the time spent routing.
    const s = framed(input.text);
    const mask = charBuckets - 1;
    for (let i = 0; i + N_MIN <= s.length; i++) {
      let h = FNV_OFFSET;
      for (let k = i; k < i + N_MIN - 1; k++) h = Math.imul(h ^ s.charCodeAt(k), FNV_PRIME);
      const last = Math.min(s.length, i + N_MAX);
      for (let k = i + N_MIN - 1; k < last; k++) {
        h = Math.imul(h ^ s.charCodeAt(k), FNV_PRIME);
        const j = vocabSize + (h & mask);
        if (counts[j] === 0) touched.push(j);
        counts[j]++;
      }
    }
    blockEnds[1] = touched.length;
    if (this.blocks.lineFeatures > 0) {
      const first = vocabSize + charBuckets;
      forEachLineBreak(input.text, (f) => add(first + f));
    }
    blockEnds[2] = touched.length;
    if (this.blocks.scriptFeatures > 0) {
      const first = vocabSize + charBuckets + this.blocks.lineFeatures;
      countScripts(input.text, this.scriptCounts, this.quotedScriptCounts);
      this.scriptCounts.forEach((count, f) => {
        if (count === 0) return;
        touched.push(first + f);
        counts[first + f] = count;
      });
    }
    blockEnds[3] = touched.length;
    return touched;
  }

  /** The counts of every feature of `input`, as [indices, counts]. */
  count(input: RouterInput): { indices: number[]; counts: number[] } {
    const touched = this.fill(input);
    const out = { indices: touched.slice(), counts: touched.map((j) => this.counts[j]) };
    for (const j of touched) this.counts[j] = 0;
    return out;
  }

  /**
   * The class scores b + W·x in one pass over the touched features, without building x: each
   * block's dot products are scaled by its norm at the end. `weightsByFeature` is [feature][class].
   */
  scores(
    input: RouterInput,
    idf: Float64Array,
    weightsByFeature: Float64Array,
    bias: readonly number[],
  ): number[] {
    const touched = this.fill(input);
    const { counts, tf } = this;
    const classes = bias.length;
    const scores = bias.slice();
    const dots = new Float64Array(classes);
    let start = 0;
    for (const end of this.blockEnds) {
      dots.fill(0);
      let norm = 0;
      for (let t = start; t < end; t++) {
        const j = touched[t];
        const v = tf(counts[j]) * idf[j];
        counts[j] = 0;
        norm += v * v;
        const row = j * classes;
        for (let c = 0; c < classes; c++) dots[c] += weightsByFeature[row + c] * v;
      }
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
      for (let c = 0; c < classes; c++) scores[c] += dots[c] * scale;
      start = end;
    }
    return scores;
  }
}

/** sklearn's smooth idf, ln((1 + n) / (1 + df)) + 1, over every feature. */
function fitIdf(inputs: readonly RouterInput[], counter: FeatureCounter): Float64Array {
  const df = new Float64Array(featureCount(counter.blocks));
  for (const input of inputs) for (const j of counter.count(input).indices) df[j]++;
  return df.map((d) => Math.log((1 + inputs.length) / (1 + d)) + 1);
}

/** Each block's term frequencies × idf, L2-normalised (token ids, n-grams, lines, scripts). */
function featureVector(
  input: RouterInput,
  counter: FeatureCounter,
  idf: Float64Array,
): SparseVector {
  const { indices, counts } = counter.count(input);
  const values = indices.map((j, k) => counter.tf(counts[k]) * idf[j]);
  const norms = [0, 0, 0, 0];
  const block = (j: number) => blockOf(counter.blocks, j);
  indices.forEach((j, k) => {
    norms[block(j)] += values[k] * values[k];
  });
  const scale = norms.map((n) => (n > 0 ? 1 / Math.sqrt(n) : 1));
  return { indices, values: values.map((v, k) => v * scale[block(indices[k])]) };
}

function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((s, v) => s + v, 0);
  return exps.map((e) => e / sum);
}

const centred = (raw: number[], classes: readonly RouterClass[]): Push => {
  const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
  return Object.fromEntries(classes.map((c, i) => [c.id, raw[i] - mean]));
};

const isFiniteArray = (a: unknown, length: number) =>
  Array.isArray(a) &&
  a.length === length &&
  a.every((v) => typeof v === "number" && Number.isFinite(v));

function validClass(c: unknown): c is RouterClass {
  const k = c as RouterClass;
  return (
    typeof k?.id === "string" &&
    /^[a-z][a-z0-9_-]{0,15}$/.test(k.id) &&
    typeof k.name === "string" &&
    k.name.length > 0 &&
    k.name.length <= 40 &&
    (k.expert === null || (typeof k.expert === "string" && /^[\w.-]{1,64}$/.test(k.expert))) &&
    (k.layout === "prose" || k.layout === "code")
  );
}

export class Router {
  private readonly idf: Float64Array;
  private readonly counter: FeatureCounter;
  private readonly tokenCounter: FeatureCounter;
  /** The weights feature-major ([feature][class]): scoring reads one row per feature. */
  private readonly weightsByFeature: Float64Array;

  private constructor(private readonly json: RouterJson) {
    this.idf = Float64Array.from(json.idf);
    const classes = json.classes.length;
    this.weightsByFeature = new Float64Array(json.idf.length * classes);
    json.weights.forEach((row, c) => {
      row.forEach((w, j) => {
        this.weightsByFeature[j * classes + c] = w;
      });
    });
    const termFrequency = json.termFrequency ?? "raw";
    this.counter = new FeatureCounter({
      vocabSize: json.vocabSize,
      charBuckets: json.charBuckets,
      termFrequency,
      lineFeatures: json.lineLayout ? LINE_FEATURES.length : 0,
      scriptFeatures: json.scripts ? SCRIPT_FEATURES.length : 0,
    });
    this.tokenCounter = new FeatureCounter({
      vocabSize: json.vocabSize,
      charBuckets: 0,
      termFrequency,
      lineFeatures: 0,
      scriptFeatures: 0,
    });
  }

  get kind(): ClassifierKind {
    return this.json.kind;
  }

  get features(): FeatureSet {
    return this.json.features;
  }

  get classes(): readonly RouterClass[] {
    return this.json.classes;
  }

  /** Whether the router reads the line layout (LINE_FEATURES). */
  get readsLineLayout(): boolean {
    return this.json.lineLayout === true;
  }

  /** Whether the router reads the scripts of the letters (SCRIPT_FEATURES). */
  get readsScripts(): boolean {
    return this.json.scripts === true;
  }

  get vocabSize(): number {
    return this.json.vocabSize;
  }

  get noneThresholds(): readonly NoneThreshold[] {
    return this.json.noneThresholds;
  }

  /**
   * The none probability from which a text of `chars` characters is called none (1: never; 0:
   * no thresholds, so none wins only as the most probable class).
   */
  noneThresholdAt(chars: number): number {
    const t = this.json.noneThresholds;
    if (t.length === 0) return this.json.classes.some((c) => c.expert === null) ? 0 : 1;
    return atLength(t, chars, (p) => p.probability);
  }

  /** Reads a router file, checking every field (a file from elsewhere is not trusted). */
  static fromJSON(json: unknown): Router {
    const j = json as RouterJson;
    if (j?.format !== "mome-router" || j.version !== 2)
      throw new Error("router: not a mome-router v2 file");
    if (!CLASSIFIERS.includes(j.kind)) throw new Error(`router: unknown classifier ${j.kind}`);
    if (!FEATURE_SETS.includes(j.features))
      throw new Error(`router: unknown features ${j.features}`);
    if (j.termFrequency !== undefined && !TERM_FREQUENCIES.includes(j.termFrequency))
      throw new Error(`router: unknown term frequency ${j.termFrequency}`);
    if (!Array.isArray(j.classes) || j.classes.length < 2 || j.classes.length > 16)
      throw new Error("router: needs 2 to 16 classes");
    if (!j.classes.every(validClass))
      throw new Error(
        "router: each class needs an id (a-z, 0-9), a name, an expert or null, and a layout",
      );
    if (new Set(j.classes.map((c) => c.id)).size !== j.classes.length)
      throw new Error("router: class ids repeat");
    const charsOk =
      j.features === "tokens"
        ? j.charBuckets === 0
        : Number.isInteger(j.charBuckets) &&
          j.charBuckets > 0 &&
          j.charBuckets <= 1 << 20 &&
          (j.charBuckets & (j.charBuckets - 1)) === 0;
    if (!Number.isInteger(j.vocabSize) || j.vocabSize <= 0 || j.vocabSize > 1 << 20 || !charsOk)
      throw new Error(
        "router: vocabSize out of range, or charBuckets not a power of two up to 2^20",
      );
    if (
      j.lineLayout !== undefined &&
      (typeof j.lineLayout !== "boolean" || (j.lineLayout && j.charBuckets === 0))
    )
      throw new Error("router: lineLayout must be true or false, and needs character n-grams");
    if (
      j.scripts !== undefined &&
      (typeof j.scripts !== "boolean" || (j.scripts && j.charBuckets === 0))
    )
      throw new Error("router: scripts must be true or false, and needs character n-grams");

    const thresholdsOk =
      Array.isArray(j.noneThresholds) &&
      j.noneThresholds.length <= 32 &&
      ascending(j.noneThresholds) &&
      j.noneThresholds.every(
        (t) => typeof t.probability === "number" && t.probability >= 0 && t.probability <= 1,
      ) &&
      (j.noneThresholds.length === 0 || j.classes.some((c) => c.expert === null));
    if (!thresholdsOk)
      throw new Error(
        "router: noneThresholds must be probabilities at ascending lengths, for a router with a none class",
      );
    const features = featureCount({
      vocabSize: j.vocabSize,
      charBuckets: j.charBuckets,
      termFrequency: "raw",
      lineFeatures: j.lineLayout ? LINE_FEATURES.length : 0,
      scriptFeatures: j.scripts ? SCRIPT_FEATURES.length : 0,
    });
    const okShapes =
      isFiniteArray(j.idf, features) &&
      isFiniteArray(j.bias, j.classes.length) &&
      Array.isArray(j.weights) &&
      j.weights.length === j.classes.length &&
      j.weights.every((row) => isFiniteArray(row, features));
    if (!okShapes)
      throw new Error(
        "router: idf, weights and bias must be finite numbers matching the features and classes",
      );
    return new Router(j);
  }

  toJSON(): RouterJson {
    return this.json;
  }

  /** The same router with other "none of these" thresholds. */
  withNoneThresholds(thresholds: NoneThreshold[]): Router {
    return Router.fromJSON({ ...this.json, noneThresholds: thresholds });
  }

  /** The feature vector (none with nothing to read: no feature is evidence then). */
  private vector(input: RouterInput): SparseVector {
    if (nothingToRead(input)) return { indices: [], values: [] };
    return featureVector(input, this.counter, this.idf);
  }

  /** The decision for `text` as the router reads it (routerReading). */
  route(text: string, encode: (s: string) => number[]): Prediction {
    return this.predict(routerInput(text, encode));
  }

  scores(input: RouterInput): number[] {
    return this.counter.scores(input, this.idf, this.weightsByFeature, this.json.bias);
  }

  /**
   * The class that takes the text. With a none class: none when its probability reaches the
   * threshold for the text's length (from `text`, else about 4 characters a token), else the most
   * probable other class; without thresholds, the most probable class, none included. A text
   * with nothing to read is none's for certain.
   */
  predict(input: RouterInput): Prediction {
    const chars = input.text?.length ?? 4 * input.ids.length;
    const classes = this.json.classes;
    const none = classes.findIndex((c) => c.expert === null);
    const noneThreshold = none < 0 ? 1 : this.noneThresholdAt(chars);
    // With nothing to read (emoji alone, say) no class has evidence, so none of them takes it.
    const probs =
      nothingToRead(input) && none >= 0
        ? classes.map((_, c) => Number(c === none))
        : softmax(this.scores(input));
    const argmax = (keep: (c: number) => boolean) => {
      let best = -1;
      for (let c = 0; c < probs.length; c++)
        if (keep(c) && (best < 0 || probs[c] > probs[best])) best = c;
      return best;
    };
    const top = argmax(() => true);
    const isNone =
      none >= 0 &&
      (this.json.noneThresholds.length === 0 ? top === none : probs[none] >= noneThreshold);
    return {
      label: isNone ? classes[none].id : classes[argmax((c) => c !== none)].id,
      top: classes[top].id,
      probs: Object.fromEntries(classes.map((c, i) => [c.id, probs[i]])),
      noneThreshold,
    };
  }

  /**
   * Each feature's centred contribution to every class score (indexed like the feature vector);
   * with `tokensOnly`, the token block alone (blocks are normalised apart, so its values are the
   * same), which needs no text.
   */
  private contributions(input: RouterInput, tokensOnly = false): { x: SparseVector; push: Push[] } {
    const x = tokensOnly
      ? featureVector({ ids: input.ids }, this.tokenCounter, this.idf)
      : this.vector(input);
    const push = x.indices.map((j, k) =>
      centred(
        this.json.weights.map((w) => w[j] * x.values[k]),
        this.json.classes,
      ),
    );
    return { x, push };
  }

  /** Per-token contributions of the token features, split evenly over a token's repeats. */
  evidence(input: RouterInput): TokenEvidence[] {
    const { x, push } = this.contributions(input, true);
    const counts = countIds(input.ids, this.json.vocabSize);
    const byId = new Map<number, Push>();
    x.indices.forEach((j, k) => {
      if (j < this.json.vocabSize) byId.set(j, push[k]);
    });
    const zero = Object.fromEntries(this.json.classes.map((c) => [c.id, 0]));
    return input.ids.map((id, position) => {
      const p = byId.get(id);
      const n = counts.get(id) ?? 1;
      return {
        position,
        id,
        push: p ? Object.fromEntries(Object.entries(p).map(([c, v]) => [c, v / n])) : zero,
      };
    });
  }

  /**
   * Per-character contributions of the n-gram features: each n-gram occurrence's share of its
   * bucket's contribution, credited to the text offset where it starts. Empty without n-grams.
   */
  charEvidence(input: RouterInput): CharEvidence[] {
    if (this.json.charBuckets === 0 || input.text === undefined) return [];
    const { x, push } = this.contributions(input);
    const byBucket = new Map<number, Push>();
    x.indices.forEach((j, k) => {
      if (j >= this.json.vocabSize) byBucket.set(j - this.json.vocabSize, push[k]);
    });
    const occurrences = new Map<number, number>();
    forEachNgram(input.text, this.json.charBuckets, (b) => {
      occurrences.set(b, (occurrences.get(b) ?? 0) + 1);
    });
    const out: CharEvidence[] = Array.from({ length: input.text.length }, (_, offset) => ({
      offset,
      push: Object.fromEntries(this.json.classes.map((c) => [c.id, 0])),
    }));
    forEachNgram(input.text, this.json.charBuckets, (b, start) => {
      // Framed offsets are text offsets + 1; the leading space's n-grams go to offset 0.
      const at = out[Math.min(Math.max(start - 1, 0), out.length - 1)];
      const p = byBucket.get(b);
      if (!at || !p) return;
      const n = occurrences.get(b) as number;
      for (const c of this.json.classes) at.push[c.id] += p[c.id] / n;
    });
    return out;
  }

  /**
   * How much the token, n-gram, line-layout and script features each push toward every class
   * (lines, scripts: all zeros for a router without them).
   */
  evidenceByKind(input: RouterInput): { tokens: Push; chars: Push; lines: Push; scripts: Push } {
    const { x, push } = this.contributions(input);
    const sum = (keep: (j: number) => boolean): Push =>
      Object.fromEntries(
        this.json.classes.map((c) => [
          c.id,
          x.indices.reduce((s, j, k) => s + (keep(j) ? push[k][c.id] : 0), 0),
        ]),
      );
    const blocks = this.counter.blocks;
    return {
      tokens: sum((j) => blockOf(blocks, j) === 0),
      chars: sum((j) => blockOf(blocks, j) === 1),
      lines: sum((j) => blockOf(blocks, j) === 2),
      scripts: sum((j) => blockOf(blocks, j) === 3),
    };
  }

  /** The `count` features that pushed hardest toward `classId`, with a readable name each. */
  strongestFeatures(
    input: RouterInput,
    classId: string,
    count: number,
    tokenText: (id: number) => string,
  ): Feature[] {
    const { x, push } = this.contributions(input);
    const ngramText = new Map<number, string>();
    if (input.text !== undefined) {
      const s = framed(input.text);
      forEachNgram(input.text, this.json.charBuckets, (b, start, n) => {
        if (!ngramText.has(b)) ngramText.set(b, s.slice(start, start + n));
      });
    }
    return x.indices
      .map((j, k): Feature => {
        const toward = push[k][classId] ?? 0;
        const bucket = j - this.json.vocabSize;
        const line = bucket - this.json.charBuckets;
        const script = line - this.counter.blocks.lineFeatures;
        switch (blockOf(this.counter.blocks, j)) {
          case 0:
            return { kind: "token", id: j, text: tokenText(j), push: toward };
          case 1:
            return { kind: "chars", id: bucket, text: ngramText.get(bucket) ?? "?", push: toward };
          case 2:
            return { kind: "line", id: line, text: LINE_FEATURES[line], push: toward };
          default:
            return { kind: "script", id: script, text: SCRIPT_FEATURES[script], push: toward };
        }
      })
      .sort((a, b) => b.push - a.push)
      .slice(0, count);
  }
}

export function trainRouter(
  examples: readonly RouterExample[],
  options: RouterTrainOptions,
): Router {
  const classes = options.classes ?? LANGUAGE_CLASSES;
  const features = options.features ?? "tokens";
  if (examples.length === 0) throw new Error("router: no training examples");
  for (const c of classes)
    if (!examples.some((e) => e.label === c.id))
      throw new Error(`router: no training examples for ${c.id}`);
  const ids = classes.map((c) => c.id);
  const unknown = examples.find((e) => !ids.includes(e.label));
  if (unknown) throw new Error(`router: example labelled ${unknown.label}, not a class`);
  const blocks: FeatureBlocks = {
    vocabSize: options.vocabSize,
    charBuckets: features === "tokens" ? 0 : (options.charBuckets ?? DEFAULT_CHAR_BUCKETS),
    termFrequency: options.termFrequency ?? "raw",
    lineFeatures: options.lineLayout && features !== "tokens" ? LINE_FEATURES.length : 0,
    scriptFeatures: options.scripts && features !== "tokens" ? SCRIPT_FEATURES.length : 0,
  };
  const counter = new FeatureCounter(blocks);
  const idf = fitIdf(examples, counter);
  const xs = examples.map((e) => featureVector(e, counter, idf));
  const ys = examples.map((e) => ids.indexOf(e.label));
  const fitClassifier =
    options.kind === "nb" ? fitNaiveBayes : options.kind === "svm" ? fitSvm : fitLogReg;
  const { weights, bias } = fitClassifier(xs, ys, {
    ...options,
    classCount: classes.length,
    dimension: featureCount(blocks),
  });
  const round = (v: number) => Number(v.toPrecision(5));
  return Router.fromJSON({
    format: "mome-router",
    version: 2,
    kind: options.kind,
    features,
    classes: classes.map((c) => ({ ...c })),
    vocabSize: blocks.vocabSize,
    charBuckets: blocks.charBuckets,
    termFrequency: blocks.termFrequency,
    ...(blocks.lineFeatures > 0 ? { lineLayout: true } : {}),
    ...(blocks.scriptFeatures > 0 ? { scripts: true } : {}),
    noneThresholds: [],
    idf: Array.from(idf, round),
    weights: weights.map((row) => Array.from(row, round)),
    bias: bias.map(round),
  } satisfies RouterJson);
}

type FitOptions = RouterTrainOptions & { classCount: number; dimension: number };
type Fit = (
  xs: SparseVector[],
  ys: number[],
  o: FitOptions,
) => { weights: Float64Array[]; bias: number[] };

function shuffled(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Logistic regression by the options' optimizer (SGD unless told AdaGrad). */
const fitLogReg: Fit = (xs, ys, o) =>
  o.optimizer === "adagrad" ? fitAdagrad(xs, ys, o) : fitSgd(xs, ys, o);

const MINIBATCH = 16;

/**
 * Averaged SGD's running mean: with `averaged`, of the weights at the end of each epoch of the
 * second half; without, the last epoch's alone.
 */
function epochAverage(o: FitOptions) {
  const epochs = o.epochs ?? 30;
  const first = o.averaged ? Math.floor(epochs / 2) : epochs - 1;
  const sumW = Array.from({ length: o.classCount }, () => new Float64Array(o.dimension));
  const sumBias = new Array(o.classCount).fill(0);
  return {
    epochs,
    /** Adds epoch `epoch`'s weights (each scaled by `scale`) if it counts. */
    add(epoch: number, weights: Float64Array[], bias: number[], scale = 1) {
      if (epoch < first) return;
      weights.forEach((w, c) => {
        for (let j = 0; j < w.length; j++) sumW[c][j] += scale * w[j];
        sumBias[c] += bias[c];
      });
    },
    result() {
      const n = epochs - first;
      return {
        weights: sumW.map((w) => w.map((x) => x / n)),
        bias: sumBias.map((b) => b / n),
      };
    },
  };
}

/** softmax(bias + scale · W x) − onehot(y): the cross-entropy's gradient in the scores. */
function scoreGradient(
  x: SparseVector,
  y: number,
  weights: Float64Array[],
  bias: number[],
  scale = 1,
): number[] {
  const scores = weights.map((w, c) => {
    let s = 0;
    for (let k = 0; k < x.indices.length; k++) s += w[x.indices[k]] * x.values[k];
    return bias[c] + scale * s;
  });
  return softmax(scores).map((p, c) => p - (y === c ? 1 : 0));
}

/**
 * Multinomial logistic regression, minibatch SGD on mean cross-entropy + (λ/2)‖W‖², the step
 * decaying by epoch. The weight decay is kept as one scale factor (W = scale · V), so a step
 * touches only the batch's features.
 */
const fitSgd: Fit = (xs, ys, o) => {
  const lambda = o.regularization ?? 1e-4;
  const average = epochAverage(o);
  const C = o.classCount;
  const v = Array.from({ length: C }, () => new Float64Array(o.dimension));
  const bias = new Array(C).fill(0);
  let scale = 1;
  for (let epoch = 0; epoch < average.epochs; epoch++) {
    const lr = (o.learningRate ?? 2) / (1 + epoch * 0.2);
    const order = shuffled(xs.length, (o.seed ?? 0) + epoch);
    for (let start = 0; start < order.length; start += MINIBATCH) {
      const members = order.slice(start, start + MINIBATCH);
      const step = lr / members.length;
      const grads = members.map((i) => scoreGradient(xs[i], ys[i], v, bias, scale));
      scale *= 1 - lr * lambda;
      members.forEach((i, m) => {
        const x = xs[i];
        for (let c = 0; c < C; c++) {
          const g = grads[m][c];
          bias[c] -= step * g;
          const w = v[c];
          const update = (step * g) / scale;
          for (let k = 0; k < x.indices.length; k++) w[x.indices[k]] -= update * x.values[k];
        }
      });
      if (scale < 1e-6) {
        for (const w of v) for (let j = 0; j < w.length; j++) w[j] *= scale;
        scale = 1;
      }
    }
    average.add(epoch, v, bias, scale);
    o.onProgress?.((epoch + 1) / average.epochs);
  }
  return average.result();
};

/**
 * Multinomial logistic regression by AdaGrad, minibatches of mean cross-entropy + (λ/2)‖W‖²: each
 * weight steps by the learning rate over the root of its own summed squared gradients, so a
 * character n-gram seen in few snippets moves as far per sighting as a common one (SGD's one
 * decaying step leaves rare features near zero). The weight decay reaches only the batch's
 * features.
 */
const fitAdagrad: Fit = (xs, ys, o) => {
  const lambda = o.regularization ?? 0;
  const lr = o.learningRate ?? 0.05;
  const average = epochAverage(o);
  const C = o.classCount;
  const matrix = () => Array.from({ length: C }, () => new Float64Array(o.dimension));
  const [w, grad, squared] = [matrix(), matrix(), matrix()];
  const bias = new Array(C).fill(0);
  const biasSquared = new Array(C).fill(0);
  // The batch's features, each listed once: lastBatch[j] is the last batch that touched j.
  const lastBatch = new Int32Array(o.dimension).fill(-1);
  let batchIndex = 0;
  const adagradStep = (value: number, g: number, sum: number) =>
    value - (lr * g) / (Math.sqrt(sum) + 1e-8);
  for (let epoch = 0; epoch < average.epochs; epoch++) {
    const order = shuffled(xs.length, (o.seed ?? 0) + epoch);
    for (let start = 0; start < order.length; start += MINIBATCH, batchIndex++) {
      const members = order.slice(start, start + MINIBATCH);
      const touched: number[] = [];
      const biasGrad = new Array(C).fill(0);
      for (const i of members) {
        const x = xs[i];
        const g = scoreGradient(x, ys[i], w, bias);
        for (let c = 0; c < C; c++) {
          const gc = g[c] / members.length;
          biasGrad[c] += gc;
          for (let k = 0; k < x.indices.length; k++) grad[c][x.indices[k]] += gc * x.values[k];
        }
        for (const j of x.indices)
          if (lastBatch[j] !== batchIndex) {
            lastBatch[j] = batchIndex;
            touched.push(j);
          }
      }
      for (let c = 0; c < C; c++) {
        biasSquared[c] += biasGrad[c] * biasGrad[c];
        bias[c] = adagradStep(bias[c], biasGrad[c], biasSquared[c]);
        for (const j of touched) {
          const g = grad[c][j] + lambda * w[c][j];
          grad[c][j] = 0;
          squared[c][j] += g * g;
          w[c][j] = adagradStep(w[c][j], g, squared[c][j]);
        }
      }
    }
    average.add(epoch, w, bias);
    o.onProgress?.((epoch + 1) / average.epochs);
  }
  return average.result();
};

/** One-vs-rest linear SVM, SGD on hinge loss + (λ/2)‖w‖². */
const fitSvm: Fit = (xs, ys, o) => {
  const lambda = o.regularization ?? 1e-4;
  const epochs = o.epochs ?? 30;
  const C = o.classCount;
  const weights = Array.from({ length: C }, () => new Float64Array(o.dimension));
  const bias = new Array(C).fill(0);
  let t = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffled(xs.length, (o.seed ?? 0) + epoch)) {
      const lr = (o.learningRate ?? 0.5) / (1 + 0.01 * t++);
      const x = xs[i];
      for (let c = 0; c < C; c++) {
        const y = ys[i] === c ? 1 : -1;
        const w = weights[c];
        const margin = y * x.indices.reduce((s, id, k) => s + w[id] * x.values[k], bias[c]);
        // Weight decay applied lazily to the touched coordinates keeps each update sparse.
        for (const id of x.indices) w[id] *= 1 - lr * lambda;
        if (margin < 1) {
          bias[c] += lr * y * 0.1;
          for (let k = 0; k < x.indices.length; k++) w[x.indices[k]] += lr * y * x.values[k];
        }
      }
    }
    o.onProgress?.((epoch + 1) / epochs);
  }
  return { weights, bias };
};

/** Multinomial Naive Bayes on the features with additive smoothing. */
const fitNaiveBayes: Fit = (xs, ys, o) => {
  const smoothing = o.regularization ?? 0.01;
  const C = o.classCount;
  const featureSums = Array.from({ length: C }, () => new Float64Array(o.dimension));
  const classCounts = new Array(C).fill(0);
  xs.forEach((x, i) => {
    classCounts[ys[i]]++;
    x.indices.forEach((id, k) => {
      featureSums[ys[i]][id] += x.values[k];
    });
  });
  const weights = featureSums.map((sums) => {
    const total = sums.reduce((s, v) => s + v, 0) + smoothing * o.dimension;
    return sums.map((v) => Math.log((v + smoothing) / total));
  });
  const bias = classCounts.map((n) => Math.log(n / xs.length));
  o.onProgress?.(1);
  return { weights, bias };
};

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/**
 * Per-class precision, recall and F1, their support-weighted means, accuracy and the confusion
 * matrix ([true][predicted], in the order of `classes`; labels outside it are ignored).
 */
export function classificationReport(
  truth: readonly string[],
  predicted: readonly string[],
  classes: readonly string[] = LANGUAGES,
) {
  const confusion = classes.map(() => classes.map(() => 0));
  let counted = 0;
  let correct = 0;
  truth.forEach((t, i) => {
    const row = classes.indexOf(t);
    const column = classes.indexOf(predicted[i]);
    if (row < 0) return;
    counted++;
    if (t === predicted[i]) correct++;
    if (column >= 0) confusion[row][column]++;
  });
  const perClass: Record<string, ClassReport> = {};
  const weighted = { precision: 0, recall: 0, f1: 0 };
  classes.forEach((id, c) => {
    const tp = confusion[c][c];
    const support = truth.filter((t) => t === id).length;
    const predictedCount = confusion.reduce((s, row) => s + row[c], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[id] = { precision, recall, f1, support };
    const share = counted ? support / counted : 0;
    weighted.precision += precision * share;
    weighted.recall += recall * share;
    weighted.f1 += f1 * share;
  });
  return { accuracy: counted ? correct / counted : 0, perClass, weighted, confusion };
}
