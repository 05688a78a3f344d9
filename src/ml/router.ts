/**
 * The router: which language (en, fr, de, py) is this token sequence in?
 *
 * As in the paper: the token ids (no special tokens) are the "words" of a TF-IDF vector
 * (raw counts × smoothed idf, L2-normalised), and a linear classifier over four classes reads it.
 * Three classifiers share the linear form score_c = b_c + Σ_j W[c][j] · x_j:
 *   - logreg: multinomial logistic regression with L2 (the paper's best), trained by SGD;
 *   - nb: multinomial Naive Bayes on the TF-IDF features (W = log P(token | class));
 *   - svm: one-vs-rest linear SVM (hinge loss, L2) trained by SGD.
 * Class probabilities are softmax(scores); for the SVM they are uncalibrated.
 * Pure TypeScript (no tensors): small, exact, and the same in Node and the browser.
 */
import { BOS_ID, EOS_ID, PAD_ID } from "./bpe-trainer";
import { createRng } from "./random";

export const LANGUAGES = ["en", "fr", "de", "py"] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  fr: "French",
  de: "German",
  py: "Python",
};

export const CLASSIFIERS = ["logreg", "nb", "svm"] as const;
export type ClassifierKind = (typeof CLASSIFIERS)[number];

export interface RouterExample {
  ids: readonly number[];
  label: Language;
}

export interface RouterTrainOptions {
  kind: ClassifierKind;
  vocabSize: number;
  epochs?: number;
  /** L2 strength (logreg, svm) or additive smoothing (nb). */
  regularization?: number;
  learningRate?: number;
  seed?: number;
}

export interface RouterJson {
  format: "mome-router";
  version: 1;
  kind: ClassifierKind;
  classes: Language[];
  vocabSize: number;
  idf: number[];
  weights: number[][]; // [class][token id]
  bias: number[];
}

export interface Prediction {
  label: Language;
  probs: Record<Language, number>;
}

export interface TokenEvidence {
  position: number;
  id: number;
  /** How much this token pushed toward each class, relative to the classes' mean. */
  push: Record<Language, number>;
}

interface SparseVector {
  indices: number[];
  values: number[];
}

const isSpecial = (id: number) => id === PAD_ID || id === BOS_ID || id === EOS_ID;

function countIds(ids: readonly number[], vocabSize: number): Map<number, number> {
  const counts = new Map<number, number>();
  for (const id of ids) {
    if (isSpecial(id) || !Number.isInteger(id) || id < 0 || id >= vocabSize) continue;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** sklearn's smooth idf: ln((1 + n) / (1 + df)) + 1. */
export function fitIdf(docs: readonly (readonly number[])[], vocabSize: number): Float64Array {
  const df = new Float64Array(vocabSize);
  for (const doc of docs) for (const id of countIds(doc, vocabSize).keys()) df[id]++;
  return df.map((d) => Math.log((1 + docs.length) / (1 + d)) + 1);
}

function tfidf(ids: readonly number[], idf: Float64Array): SparseVector {
  const counts = countIds(ids, idf.length);
  const indices = [...counts.keys()].sort((a, b) => a - b);
  const values = indices.map((id) => (counts.get(id) as number) * idf[id]);
  const norm = Math.sqrt(values.reduce((s, v) => s + v * v, 0));
  return { indices, values: norm > 0 ? values.map((v) => v / norm) : values };
}

function softmax(scores: number[]): number[] {
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((s, v) => s + v, 0);
  return exps.map((e) => e / sum);
}

export class Router {
  private readonly idf: Float64Array;

  private constructor(private readonly json: RouterJson) {
    this.idf = Float64Array.from(json.idf);
  }

  get kind(): ClassifierKind {
    return this.json.kind;
  }

  get classes(): readonly Language[] {
    return this.json.classes;
  }

  static fromJSON(json: unknown): Router {
    const j = json as RouterJson;
    if (j?.format !== "mome-router" || j.version !== 1)
      throw new Error("router: not a mome-router v1 file");
    if (!CLASSIFIERS.includes(j.kind)) throw new Error(`router: unknown classifier ${j.kind}`);
    const okClasses =
      Array.isArray(j.classes) &&
      j.classes.length === LANGUAGES.length &&
      j.classes.every((c, i) => c === LANGUAGES[i]);
    if (!okClasses) throw new Error("router: classes must be en, fr, de, py");
    const okShapes =
      Number.isInteger(j.vocabSize) &&
      j.idf?.length === j.vocabSize &&
      j.bias?.length === j.classes.length &&
      j.weights?.length === j.classes.length &&
      j.weights.every((row) => row.length === j.vocabSize);
    if (!okShapes)
      throw new Error("router: idf, weights and bias do not match vocabSize and classes");
    return new Router(j);
  }

  toJSON(): RouterJson {
    return this.json;
  }

  scores(ids: readonly number[]): number[] {
    const x = tfidf(ids, this.idf);
    return this.json.classes.map((_, c) => {
      const w = this.json.weights[c];
      let s = this.json.bias[c];
      for (let k = 0; k < x.indices.length; k++) s += w[x.indices[k]] * x.values[k];
      return s;
    });
  }

  predict(ids: readonly number[]): Prediction {
    const probs = softmax(this.scores(ids));
    let best = 0;
    for (let c = 1; c < probs.length; c++) if (probs[c] > probs[best]) best = c;
    return {
      label: this.json.classes[best],
      probs: Object.fromEntries(this.json.classes.map((c, i) => [c, probs[i]])) as Record<
        Language,
        number
      >,
    };
  }

  /** Per-token contributions to each class score, centred across classes. */
  evidence(ids: readonly number[]): TokenEvidence[] {
    const x = tfidf(ids, this.idf);
    const counts = countIds(ids, this.json.vocabSize);
    const featureOf = new Map(x.indices.map((id, k) => [id, x.values[k]]));
    return ids.map((id, position) => {
      const value = featureOf.get(id);
      const raw = this.json.classes.map((_, c) =>
        value === undefined ? 0 : (this.json.weights[c][id] * value) / (counts.get(id) as number),
      );
      const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
      const push = Object.fromEntries(
        this.json.classes.map((c, i) => [c, raw[i] - mean]),
      ) as Record<Language, number>;
      return { position, id, push };
    });
  }
}

export function trainRouter(
  examples: readonly RouterExample[],
  options: RouterTrainOptions,
): Router {
  if (examples.length === 0) throw new Error("router: no training examples");
  for (const lang of LANGUAGES) {
    if (!examples.some((e) => e.label === lang))
      throw new Error(`router: no training examples for ${lang}`);
  }
  const { vocabSize } = options;
  const idf = fitIdf(
    examples.map((e) => e.ids),
    vocabSize,
  );
  const xs = examples.map((e) => tfidf(e.ids, idf));
  const ys = examples.map((e) => LANGUAGES.indexOf(e.label));
  const fitClassifier =
    options.kind === "nb" ? fitNaiveBayes : options.kind === "svm" ? fitSvm : fitLogReg;
  const { weights, bias } = fitClassifier(xs, ys, options);
  const round = (v: number) => Number(v.toPrecision(7));
  return Router.fromJSON({
    format: "mome-router",
    version: 1,
    kind: options.kind,
    classes: [...LANGUAGES],
    vocabSize,
    idf: Array.from(idf, round),
    weights: weights.map((row) => Array.from(row, round)),
    bias: bias.map(round),
  } satisfies RouterJson);
}

type Fit = (
  xs: SparseVector[],
  ys: number[],
  o: RouterTrainOptions,
) => { weights: Float64Array[]; bias: number[] };

const C = LANGUAGES.length;

function shuffled(n: number, seed: number): number[] {
  const rng = createRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** Multinomial logistic regression, minibatch SGD on mean cross-entropy + (λ/2)‖W‖². */
const fitLogReg: Fit = (xs, ys, o) => {
  const lambda = o.regularization ?? 1e-4;
  const epochs = o.epochs ?? 30;
  const batch = 16;
  const weights = Array.from({ length: C }, () => new Float64Array(o.vocabSize));
  const bias = new Array(C).fill(0);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const lr = (o.learningRate ?? 2) / (1 + epoch * 0.2);
    const order = shuffled(xs.length, (o.seed ?? 0) + epoch);
    for (let start = 0; start < order.length; start += batch) {
      const members = order.slice(start, start + batch);
      const step = lr / members.length;
      const decay = 1 - lr * lambda;
      for (const row of weights) for (let j = 0; j < row.length; j++) row[j] *= decay;
      for (const i of members) {
        const x = xs[i];
        const scores = weights.map((w, c) =>
          x.indices.reduce((s, id, k) => s + w[id] * x.values[k], bias[c]),
        );
        const p = softmax(scores);
        for (let c = 0; c < C; c++) {
          const g = p[c] - (ys[i] === c ? 1 : 0);
          bias[c] -= step * g;
          for (let k = 0; k < x.indices.length; k++)
            weights[c][x.indices[k]] -= step * g * x.values[k];
        }
      }
    }
  }
  return { weights, bias };
};

/** One-vs-rest linear SVM, SGD on hinge loss + (λ/2)‖w‖². */
const fitSvm: Fit = (xs, ys, o) => {
  const lambda = o.regularization ?? 1e-4;
  const epochs = o.epochs ?? 30;
  const weights = Array.from({ length: C }, () => new Float64Array(o.vocabSize));
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
  }
  return { weights, bias };
};

/** Multinomial Naive Bayes on TF-IDF features with additive smoothing. */
const fitNaiveBayes: Fit = (xs, ys, o) => {
  const smoothing = o.regularization ?? 0.01;
  const featureSums = Array.from({ length: C }, () => new Float64Array(o.vocabSize));
  const classCounts = new Array(C).fill(0);
  xs.forEach((x, i) => {
    classCounts[ys[i]]++;
    x.indices.forEach((id, k) => {
      featureSums[ys[i]][id] += x.values[k];
    });
  });
  const weights = featureSums.map((sums) => {
    const total = sums.reduce((s, v) => s + v, 0) + smoothing * o.vocabSize;
    return sums.map((v) => Math.log((v + smoothing) / total));
  });
  const bias = classCounts.map((n) => Math.log(n / xs.length));
  return { weights, bias };
};

export interface ClassReport {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class precision, recall and F1, their support-weighted means, accuracy and the confusion matrix. */
export function classificationReport(truth: readonly Language[], predicted: readonly Language[]) {
  const confusion = LANGUAGES.map(() => LANGUAGES.map(() => 0)); // [true][predicted]
  truth.forEach((t, i) => {
    confusion[LANGUAGES.indexOf(t)][LANGUAGES.indexOf(predicted[i])]++;
  });
  const perClass = {} as Record<Language, ClassReport>;
  const weighted = { precision: 0, recall: 0, f1: 0 };
  LANGUAGES.forEach((lang, c) => {
    const tp = confusion[c][c];
    const support = confusion[c].reduce((s, v) => s + v, 0);
    const predictedCount = confusion.reduce((s, row) => s + row[c], 0);
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[lang] = { precision, recall, f1, support };
    const share = truth.length ? support / truth.length : 0;
    weighted.precision += precision * share;
    weighted.recall += recall * share;
    weighted.f1 += f1 * share;
  });
  const accuracy = truth.length
    ? LANGUAGES.reduce((s, _, c) => s + confusion[c][c], 0) / truth.length
    : 0;
  return { accuracy, perClass, weighted, confusion };
}
