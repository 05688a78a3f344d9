/**
 * The router: which of its classes (en, fr, de, py, and any added language) is this text in, or
 * none of them? Its features are blocks (blocks/registry.ts) side by side; its classifiers share
 * the linear form score_c = b_c + Σ_j W[c][j] · x_j, and class probabilities are softmax(scores)
 * (uncalibrated for the SVM). A text is called none when that class's probability reaches a
 * threshold that depends on the text's length (chosen on data: short texts are noisy, so they need
 * more evidence); otherwise the most probable of the other classes takes it.
 * Pure TypeScript (no tensors): small, exact, and the same in Node and the browser.
 */
import type { BlockId } from "./blocks/registry";
import type { RouterClass } from "./classes";
import {
  type CharEvidence,
  charEvidence,
  evidenceByKind,
  type Feature,
  type Push,
  strongestFeatures,
  type TokenEvidence,
  tokenEvidence,
} from "./explain";
import {
  FeatureCounter,
  type FeatureLayout,
  featureLayout,
  featureVector,
  type SparseVector,
} from "./features";
import { nothingToRead, type RouterInput, routerInput } from "./reading";
import {
  type ClassifierKind,
  type FeatureSet,
  type NoneThreshold,
  parseRouterFile,
  type RouterJson,
} from "./router-file";

export interface Prediction {
  /** The class that takes the text: a class id, or NONE. */
  label: string;
  /** The most probable class, none included. */
  top: string;
  probs: Record<string, number>;
  /** The none probability from which this text would be called none (1: never). */
  noneThreshold: number;
}

export function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((s, v) => s + v, 0);
  return exps.map((e) => e / sum);
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

export class Router {
  private readonly idf: Float64Array;
  private readonly counter: FeatureCounter;
  /** Counts the token block alone, for per-token evidence (its scratch is reused, as routing's). */
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
    this.counter = new FeatureCounter(featureLayout(json.blocks, json, json.termFrequency));
    this.tokenCounter = new FeatureCounter(this.counter.layout, ["tokens"]);
  }

  /** Reads a router file, checking every field (router-file.ts). */
  static fromJSON(json: unknown): Router {
    return new Router(parseRouterFile(json));
  }

  toJSON(): RouterJson {
    return this.json;
  }

  get kind(): ClassifierKind {
    return this.json.kind;
  }

  get classes(): readonly RouterClass[] {
    return this.json.classes;
  }

  get vocabSize(): number {
    return this.json.vocabSize;
  }

  get layout(): FeatureLayout {
    return this.counter.layout;
  }

  /** The feature blocks it reads, in order. */
  get blocks(): readonly BlockId[] {
    return this.json.blocks;
  }

  reads(block: BlockId): boolean {
    return this.json.blocks.includes(block);
  }

  /** The paper's features (tokens alone), or tokens with character n-grams. */
  get features(): FeatureSet {
    return this.reads("chars") ? "tokens+chars" : "tokens";
  }

  /** Whether the router reads the line layout (the lines block). */
  get readsLineLayout(): boolean {
    return this.reads("lines");
  }

  /** Whether the router reads the scripts of the letters (the scripts block). */
  get readsScripts(): boolean {
    return this.reads("scripts");
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

  /** The same router with other "none of these" thresholds. */
  withNoneThresholds(thresholds: NoneThreshold[]): Router {
    return Router.fromJSON({ ...this.json, noneThresholds: thresholds });
  }

  /** The feature vector (none with nothing to read: no feature is evidence then). */
  vector(input: RouterInput): SparseVector {
    if (nothingToRead(input)) return { indices: [], values: [] };
    return featureVector(input, this.counter, this.idf);
  }

  /** The token block's vector alone (blocks are normalised apart, so it needs no text). */
  tokenVector(input: RouterInput): SparseVector {
    return featureVector(input, this.tokenCounter, this.idf);
  }

  /** Class c's weight on feature j. */
  weight(c: number, j: number): number {
    return this.weightsByFeature[j * this.json.classes.length + c];
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

  /** Per-token contributions of the token features (explain.ts). */
  evidence(input: RouterInput): TokenEvidence[] {
    return tokenEvidence(this, input);
  }

  /** Per-character contributions of the n-gram features (explain.ts). */
  charEvidence(input: RouterInput): CharEvidence[] {
    return charEvidence(this, input);
  }

  /** How much each block pushed toward every class (explain.ts). */
  evidenceByKind(input: RouterInput): Record<BlockId, Push> {
    return evidenceByKind(this, input);
  }

  /** The `count` features that pushed hardest toward `classId` (explain.ts). */
  strongestFeatures(
    input: RouterInput,
    classId: string,
    count: number,
    tokenText: (id: number) => string,
  ): Feature[] {
    return strongestFeatures(this, input, classId, count, tokenText);
  }
}
