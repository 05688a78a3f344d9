import { describe, expect, it } from "vitest";
import { trainBpe } from "../src/ml/bpe-trainer";
import {
  CLASSIFIERS,
  classificationReport,
  LANGUAGES,
  type Language,
  Router,
  trainRouter,
} from "../src/ml/router";
import { documentOpenings } from "../src/ml/router-data";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { ALL_TEXT, TINY_CORPORA } from "./fixtures";

const tokenizer = new BpeTokenizer(trainBpe(ALL_TEXT, { vocabSize: 420 }));

/** Sentence- or line-sized examples from the tiny corpora. */
const examples = LANGUAGES.flatMap((label) =>
  TINY_CORPORA[label].flatMap((text) =>
    text
      .split(label === "py" ? /\n(?=\S)/ : /(?<=[.!?])\s+/)
      .filter((s) => s.trim().length > 0)
      .map((s) => ({ ids: tokenizer.encode(s), label })),
  ),
);

const heldOut: [string, Language][] = [
  ["The children open the document and save their work before the train leaves.", "en"],
  ["Les enfants ouvrent le document et enregistrent leur travail avant le départ du train.", "fr"],
  ["Die Kinder öffnen das Dokument und speichern ihre Arbeit, bevor der Zug abfährt.", "de"],
  ["def save(self, item):\n    self.items.append(item)\n    return None", "py"],
];

describe.each(CLASSIFIERS)("router (%s)", (kind) => {
  const router = trainRouter(examples, { kind, vocabSize: tokenizer.vocabSize, seed: 1 });

  it("separates the four tiny corpora (training and held-out sentences)", () => {
    const predicted = examples.map((e) => router.predict(e.ids).label);
    expect(
      classificationReport(
        examples.map((e) => e.label),
        predicted,
      ).accuracy,
    ).toBe(1);
    for (const [text, lang] of heldOut)
      expect(router.predict(tokenizer.encode(text)).label).toBe(lang);
  });

  it("gives class probabilities that sum to 1", () => {
    const { probs } = router.predict(tokenizer.encode(heldOut[1][0]));
    expect(Object.keys(probs)).toEqual([...LANGUAGES]);
    expect(Object.values(probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(probs.fr).toBeGreaterThan(0.4);
  });

  it("explains itself: per-token evidence adds up to the score differences", () => {
    const ids = tokenizer.encode(heldOut[2][0]);
    const evidence = router.evidence(ids);
    expect(evidence).toHaveLength(ids.length);
    const total = (lang: Language) => evidence.reduce((s, e) => s + e.push[lang], 0);
    const scores = router.scores(ids);
    const diff = (a: number, b: number) => scores[a] - scores[b];
    // Centred contributions: Σ push_de − Σ push_en equals the feature part of score_de − score_en.
    const bias = router.toJSON().bias;
    expect(total("de") - total("en")).toBeCloseTo(diff(2, 0) - (bias[2] - bias[0]), 9);
    expect(total("de")).toBeGreaterThan(total("fr"));
  });

  it("survives a JSON round trip with identical predictions", () => {
    const copy = Router.fromJSON(JSON.parse(JSON.stringify(router.toJSON())));
    for (const [text] of heldOut) {
      const ids = tokenizer.encode(text);
      expect(copy.predict(ids)).toEqual(router.predict(ids));
    }
  });
});

describe("router edge cases", () => {
  const router = trainRouter(examples, { kind: "logreg", vocabSize: tokenizer.vocabSize });

  it("handles empty input and out-of-range ids without throwing", () => {
    const empty = router.predict([]);
    expect(Object.values(empty.probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(router.predict([999999, -1, 1, 2]).label).toBe(empty.label);
  });

  it("rejects malformed router files and training sets missing a language", () => {
    expect(() => Router.fromJSON({ format: "nope" })).toThrow(/mome-router/);
    const broken = { ...router.toJSON(), bias: [0] };
    expect(() => Router.fromJSON(broken)).toThrow(/do not match/);
    expect(() =>
      trainRouter(
        examples.filter((e) => e.label !== "py"),
        { kind: "nb", vocabSize: 420 },
      ),
    ).toThrow(/for py/);
  });

  it("reports precision, recall, F1 and the confusion matrix", () => {
    const r = classificationReport(["en", "en", "fr", "de"], ["en", "fr", "fr", "de"]);
    expect(r.accuracy).toBe(0.75);
    expect(r.perClass.fr).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(r.perClass.en.recall).toBe(0.5);
    expect(r.confusion[0]).toEqual([1, 1, 0, 0]);
  });
});

describe("documentOpenings", () => {
  it("takes the opening of long documents only, spread over the text", () => {
    const text = ["short", "a".repeat(12), "b".repeat(10), "tiny", "c".repeat(20)].join("\n\f\n");
    expect(documentOpenings(text, 10, 5)).toEqual(["aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"]);
    expect(documentOpenings(text, 10, 2)).toEqual(["aaaaaaaaaa", "bbbbbbbbbb"]);
    expect(documentOpenings(text, 30, 5)).toEqual([]);
  });
});
