import { describe, expect, it } from "vitest";
import { trainBpe } from "../src/ml/bpe-trainer";
import { layoutPrompt } from "../src/ml/data";
import { COMMON_EXPERT, LANGUAGES, type Language } from "../src/ml/languages";
import { ROUTER_BARE_PROSE_MAX_CHARS } from "../src/ml/presets";
import {
  CLASSIFIERS,
  chooseNoneThresholds,
  classificationReport,
  codeClassIds,
  documentOpenings,
  FEATURE_SETS,
  isBareProse,
  LANGUAGE_CLASSES,
  LINE_FEATURES,
  NONE,
  NONE_CLASS,
  Router,
  type RouterInput,
  routerDataset,
  routerInput,
  routerReading,
  SCRIPT_FEATURES,
  trainRouter,
} from "../src/ml/router";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { ALL_TEXT, TINY_CORPORA } from "./fixtures";

const tokenizer = new BpeTokenizer(trainBpe(ALL_TEXT, { vocabSize: 420 }));

/** Sentence- or line-sized examples from the tiny corpora. */
const examples = LANGUAGES.flatMap((label) =>
  TINY_CORPORA[label].flatMap((text) =>
    text
      .split(label === "py" ? /\n(?=\S)/ : /(?<=[.!?])\s+/)
      .filter((s) => s.trim().length > 0)
      .map((s) => ({ ids: tokenizer.encode(s), text: s, label })),
  ),
);

const heldOut: [string, Language][] = [
  ["The children open the document and save their work before the train leaves.", "en"],
  ["Les enfants ouvrent le document et enregistrent leur travail avant le départ du train.", "fr"],
  ["Die Kinder öffnen das Dokument und speichern ihre Arbeit, bevor der Zug abfährt.", "de"],
  ["def save(self, item):\n    self.items.append(item)\n    return None", "py"],
];

const input = (text: string): RouterInput => ({ ids: tokenizer.encode(text), text });

describe.each([
  ...CLASSIFIERS.flatMap((kind) =>
    FEATURE_SETS.map((features) => [kind, features, "sgd"] as const),
  ),
  ["logreg", "tokens+chars", "adagrad"] as const,
])("router (%s, %s, %s)", (kind, features, optimizer) => {
  const router = trainRouter(examples, {
    kind,
    features,
    charBuckets: 4096,
    vocabSize: tokenizer.vocabSize,
    seed: 1,
    ...(optimizer === "adagrad" ? { optimizer, regularization: 0 } : {}),
  });

  it("separates the four tiny corpora (training and held-out sentences)", () => {
    const predicted = examples.map((e) => router.predict(e).label);
    expect(
      classificationReport(
        examples.map((e) => e.label),
        predicted,
      ).accuracy,
    ).toBe(1);
    for (const [text, lang] of heldOut) expect(router.predict(input(text)).label).toBe(lang);
  });

  it("gives class probabilities that sum to 1", () => {
    const { probs } = router.predict(input(heldOut[1][0]));
    expect(Object.keys(probs)).toEqual([...LANGUAGES]);
    expect(Object.values(probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(probs.fr).toBeGreaterThan(0.4);
  });

  it("explains itself: token and n-gram evidence add up to the score differences", () => {
    const x = input(heldOut[2][0]);
    const evidence = router.evidence(x);
    const chars = router.charEvidence(x);
    expect(evidence).toHaveLength(x.ids.length);
    expect(chars).toHaveLength(features === "tokens" ? 0 : (x.text?.length ?? 0));
    const total = (lang: Language) =>
      evidence.reduce((s, e) => s + e.push[lang], 0) + chars.reduce((s, e) => s + e.push[lang], 0);
    const scores = router.scores(x);
    const bias = router.toJSON().bias;
    // Centred contributions: Σ push_de − Σ push_en equals the feature part of score_de − score_en.
    const featurePart = scores[2] - scores[0] - (bias[2] - bias[0]);
    expect(total("de") - total("en")).toBeCloseTo(featurePart, 9);
    const byKind = router.evidenceByKind(x);
    expect(byKind.tokens.de + byKind.chars.de - byKind.tokens.en - byKind.chars.en).toBeCloseTo(
      featurePart,
      9,
    );
    expect(total("de")).toBeGreaterThan(total("fr"));
  });

  it("names the strongest features of a decision, strongest first", () => {
    const x = input(heldOut[1][0]);
    const strongest = router.strongestFeatures(x, "fr", 5, (id) => tokenizer.decode([id]));
    expect(strongest).toHaveLength(5);
    for (let i = 1; i < 5; i++)
      expect(strongest[i - 1].push).toBeGreaterThanOrEqual(strongest[i].push);
    for (const f of strongest) expect(heldOut[1][0].toLowerCase()).toContain(f.text.trim());
  });

  it("survives a JSON round trip with identical predictions", () => {
    const copy = Router.fromJSON(JSON.parse(JSON.stringify(router.toJSON())));
    for (const [text] of heldOut)
      expect(copy.predict(input(text))).toEqual(router.predict(input(text)));
  });
});

describe("character n-grams", () => {
  const paper = trainRouter(examples, { kind: "logreg", vocabSize: tokenizer.vocabSize, seed: 1 });
  const chars = trainRouter(examples, {
    kind: "logreg",
    features: "tokens+chars",
    charBuckets: 4096,
    vocabSize: tokenizer.vocabSize,
    seed: 1,
  });

  it("read the text itself: the paper's router needs only ids, this one refuses ids alone", () => {
    expect(paper.predict({ ids: tokenizer.encode("Le chien") }).label).toBeDefined();
    expect(() => chars.predict({ ids: tokenizer.encode("Le chien") })).toThrow(/reads the text/);
    // Token evidence reads the token block alone, so it needs no text.
    expect(chars.evidence({ ids: tokenizer.encode("Le chien") })).toHaveLength(
      tokenizer.encode("Le chien").length,
    );
  });

  it("carry evidence a short text's tokens lack", () => {
    const shorts: [string, string][] = [
      ["Où êtes-vous né ?", "fr"],
      ["Wo sind Sie geboren?", "de"],
      ["Where were you born?", "en"],
      ["Quelle heure est-il ?", "fr"],
      ["Wie spät ist es?", "de"],
      ["What time is it?", "en"],
      ["x = len(y)", "py"],
      ["Je ne sais pas.", "fr"],
      ["Ich weiß nicht.", "de"],
      ["I do not know.", "en"],
      ["Bonjour à tous", "fr"],
      ["Guten Morgen", "de"],
    ];
    const right = (router: Router) =>
      shorts.filter(([text, lang]) => router.predict(input(text)).label === lang).length;
    expect(right(chars)).toBeGreaterThan(right(paper));
    expect(right(chars)).toBeGreaterThanOrEqual(11);
  });
});

/** A hand-made router file with two classes (a: prose, b: code) and no bias, plus `fields`. */
const twoClassFile = (fields: Record<string, unknown>) => ({
  format: "mome-router",
  version: 2,
  kind: "logreg",
  classes: [
    { id: "a", name: "A", expert: "expert-a", layout: "prose" },
    { id: "b", name: "B", expert: "expert-b", layout: "code" },
  ],
  noneThresholds: [],
  bias: [0, 0],
  ...fields,
});

describe("term frequency", () => {
  /** Two classes over a 10-token vocabulary: class a reads token 5, class b token 7; idf 1. */
  const file = (termFrequency?: string) =>
    twoClassFile({
      features: "tokens",
      vocabSize: 10,
      charBuckets: 0,
      ...(termFrequency === undefined ? {} : { termFrequency }),
      idf: new Array(10).fill(1),
      weights: [
        [0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
      ],
    });
  const text = { ids: [5, 5, 5, 7] };

  it("raw: counts (3, 1) normalised; a file without the field reads raw", () => {
    const expected = [3 / Math.sqrt(10), 1 / Math.sqrt(10)];
    for (const router of [Router.fromJSON(file("raw")), Router.fromJSON(file())])
      router.scores(text).forEach((s, c) => {
        expect(s).toBeCloseTo(expected[c], 12);
      });
  });

  it("sublinear: 1 + ln(count), so a repeated feature weighs less", () => {
    const a = 1 + Math.log(3);
    const norm = Math.sqrt(a * a + 1);
    const scores = Router.fromJSON(file("sublinear")).scores(text);
    expect(scores[0]).toBeCloseTo(a / norm, 12);
    expect(scores[1]).toBeCloseTo(1 / norm, 12);
  });

  it("refuses an unknown term frequency", () => {
    expect(() => Router.fromJSON(file("squared"))).toThrow(/term frequency/);
  });
});

describe("line layout", () => {
  // "alpha\n    beta:\ngamma\n\nx": a sentence wrapped into a 4-space indented line, a line
  // ending in a colon, a blank line, and a line break after a blank line (none of the six).
  const text = "alpha\n    beta:\ngamma\n\nx";
  const lineCount = LINE_FEATURES.length;
  /** Two classes, 10 token ids, 2 n-gram buckets with zero weight; idf 1. */
  const file = (lineLayout: unknown, extra = 0) => {
    const n = 10 + 2 + extra;
    const zeros = () => new Array(n).fill(0);
    const a = zeros();
    const b = zeros();
    if (extra > 0) {
      a[12 + LINE_FEATURES.indexOf("line break inside a sentence")] = 1;
      a[12 + LINE_FEATURES.indexOf("line indented by a multiple of 4 spaces")] = 1;
      b[12 + LINE_FEATURES.indexOf("blank line")] = 1;
    }
    return twoClassFile({
      features: "tokens+chars",
      vocabSize: 10,
      charBuckets: 2,
      termFrequency: "sublinear",
      ...(lineLayout === undefined ? {} : { lineLayout }),
      idf: new Array(n).fill(1),
      weights: [a, b],
    });
  };

  it("counts wraps, indentation, colons and blank lines, normalised as a block of its own", () => {
    // Four features present once each (wrap, indent 4, colon, blank): each 1/2 after the norm.
    const scores = Router.fromJSON(file(true, lineCount)).scores({ ids: [], text });
    expect(scores[0]).toBeCloseTo(1, 12);
    expect(scores[1]).toBeCloseTo(0.5, 12);
    const router = Router.fromJSON(file(true, lineCount));
    const byKind = router.evidenceByKind({ ids: [], text });
    expect(byKind.lines.a - byKind.lines.b).toBeCloseTo(0.5, 12);
    const strongest = router.strongestFeatures({ ids: [], text }, "a", 2, String);
    // The two push equally (1/2 each, centred: 1/4), in whichever order.
    expect(strongest.map((f) => [f.kind, f.text, f.push]).sort()).toEqual([
      ["line", "line break inside a sentence", 0.25],
      ["line", "line indented by a multiple of 4 spaces", 0.25],
    ]);
  });

  it("a window that ends inside an indentation counts no line for it", () => {
    const router = Router.fromJSON(file(true, lineCount));
    expect(router.scores({ ids: [], text: "alpha\n    " })).toEqual([0, 0]);
  });

  it("a file without the field has no line block; a bad field is refused", () => {
    expect(Router.fromJSON(file(undefined)).readsLineLayout).toBe(false);
    expect(() => Router.fromJSON(file(undefined, lineCount))).toThrow(/idf, weights/);
    expect(() => Router.fromJSON(file(true))).toThrow(/idf, weights/);
    expect(() => Router.fromJSON(file("yes", lineCount))).toThrow(/lineLayout/);
    expect(() =>
      Router.fromJSON({ ...file(true, lineCount), features: "tokens", charBuckets: 0 }),
    ).toThrow(/lineLayout|charBuckets/);
  });

  it("is learnt: an indented docstring line pushes toward Python", () => {
    const router = trainRouter(examples, {
      kind: "logreg",
      features: "tokens+chars",
      charBuckets: 1024,
      vocabSize: tokenizer.vocabSize,
      lineLayout: true,
      seed: 1,
    });
    expect(router.toJSON().idf).toHaveLength(tokenizer.vocabSize + 1024 + lineCount);
    const x = input("Return the items.\n    The list is new.\n    ");
    const byKind = router.evidenceByKind(x);
    expect(byKind.lines.py).toBeGreaterThan(byKind.lines.en);
  });
});

describe("scripts of the letters", () => {
  // Two Latin letters (one accented), one Cyrillic letter, one emoji (a surrogate pair); the
  // digit, the punctuation and the spaces count for nothing.
  const text = "Aé Ж😀 1!";
  const scriptCount = SCRIPT_FEATURES.length;
  const at = (feature: (typeof SCRIPT_FEATURES)[number]) => 12 + SCRIPT_FEATURES.indexOf(feature);
  /** Two classes, 10 token ids, 2 n-gram buckets with zero weight, the script block; idf 1. */
  const file = (scripts: unknown, extra: number = scriptCount, lineLayout = false) => {
    const n = 10 + 2 + (lineLayout ? LINE_FEATURES.length : 0) + extra;
    const a = new Array(n).fill(0);
    const b = new Array(n).fill(0);
    const shift = lineLayout ? LINE_FEATURES.length : 0;
    if (extra > 0) {
      a[shift + at("letter of another script")] = 1;
      b[shift + at("letter of the Latin alphabet")] = 1;
      b[shift + at("symbol outside ASCII (arrows, ©, maths)")] = 2;
    }
    return twoClassFile({
      features: "tokens+chars",
      vocabSize: 10,
      charBuckets: 2,
      termFrequency: "sublinear",
      ...(lineLayout ? { lineLayout } : {}),
      ...(scripts === undefined ? {} : { scripts }),
      idf: new Array(n).fill(1),
      weights: [a, b],
    });
  };

  it("counts Latin letters, letters of other scripts and symbols, normalised as a block", () => {
    // Sublinear counts: Latin 1 + ln 2, other script 1, symbol 1.
    const latin = 1 + Math.log(2);
    const norm = Math.sqrt(latin * latin + 2);
    for (const lineLayout of [false, true]) {
      const router = Router.fromJSON(file(true, scriptCount, lineLayout));
      const [a, b] = router.scores({ ids: [], text });
      expect(a).toBeCloseTo(1 / norm, 12);
      expect(b).toBeCloseTo((latin + 2) / norm, 12);
      expect(router.readsScripts).toBe(true);
      const byKind = router.evidenceByKind({ ids: [], text });
      expect(byKind.scripts.b - byKind.scripts.a).toBeCloseTo((latin + 1) / norm, 12);
      expect(byKind.lines).toEqual({ a: 0, b: 0 });
      const [strongest] = router.strongestFeatures({ ids: [], text }, "a", 1, String);
      expect([strongest.kind, strongest.text]).toEqual(["script", "letter of another script"]);
      // Centred on the two classes' mean: (1/norm - 0) / 2.
      expect(strongest.push).toBeCloseTo(1 / (2 * norm), 12);
    }
  });

  it("leaves out what code quotes: strings and comments, to the end of their line", () => {
    // Counted: "print" (Latin, 5) and, on the next line, "Ж" and "x"; quoted and commented
    // Cyrillic is not.
    const code = "print(\"Привет\", 'мир')  # комментарий\nЖ = x";
    const latin = 1 + Math.log(6);
    const norm = Math.sqrt(latin * latin + 1);
    const [a, b] = Router.fromJSON(file(true)).scores({ ids: [], text: code });
    expect(a).toBeCloseTo(1 / norm, 12);
    expect(b).toBeCloseTo(latin / norm, 12);
  });

  it("counts a quotation when nothing else has letters; an apostrophe in a word is no quote", () => {
    const router = Router.fromJSON(file(true));
    expect(router.scores({ ids: [], text: '"Привет, мир"' })).toEqual([1, 0]);
    // Latin "d" and four Cyrillic letters: "d'Ж" is a word, not the start of a quotation.
    const other = 1 + Math.log(4);
    const norm = Math.sqrt(1 + other * other);
    const [a, b] = router.scores({ ids: [], text: "Ж d'ЖЖЖ" });
    expect(a).toBeCloseTo(other / norm, 12);
    expect(b).toBeCloseTo(1 / norm, 12);
  });

  it("a text of ASCII digits and punctuation has no script features", () => {
    expect(Router.fromJSON(file(true)).scores({ ids: [], text: "3.14, 2 + 2 = 4!" })).toEqual([
      0, 0,
    ]);
  });

  it("a file without the field has no script block; a bad field is refused", () => {
    expect(Router.fromJSON(file(undefined, 0)).readsScripts).toBe(false);
    expect(() => Router.fromJSON(file(undefined))).toThrow(/idf, weights/);
    expect(() => Router.fromJSON(file(true, 0))).toThrow(/idf, weights/);
    expect(() => Router.fromJSON(file("yes"))).toThrow(/scripts/);
    expect(() => Router.fromJSON({ ...file(true), features: "tokens", charBuckets: 0 })).toThrow(
      /scripts|charBuckets/,
    );
  });

  it("is learnt: letters of a script never trained on push toward none", () => {
    const russian = [
      "Откройте документ и сохраните работу.",
      "Файл не найден, попробуйте ещё раз.",
      "Настройки применяются после перезапуска.",
      "Выберите слой и нажмите кнопку.",
    ];
    const none = russian.map((s) => ({ ids: tokenizer.encode(s), text: s, label: NONE }));
    const router = trainRouter([...examples, ...none, ...none, ...none], {
      kind: "logreg",
      features: "tokens+chars",
      charBuckets: 1024,
      vocabSize: tokenizer.vocabSize,
      classes: [...LANGUAGE_CLASSES, NONE_CLASS],
      scripts: true,
      seed: 1,
    });
    expect(router.toJSON().idf).toHaveLength(tokenizer.vocabSize + 1024 + scriptCount);
    const greek = router.evidenceByKind(input("Άνοιξε το έγγραφο και αποθήκευσε τη δουλειά."));
    for (const lang of LANGUAGES) expect(greek.scripts[NONE]).toBeGreaterThan(greek.scripts[lang]);
  });
});

describe("bare prose in code classes", () => {
  it("is a short snippet with no sign of code", () => {
    expect(isBareProse("the list of open files")).toBe(true);
    expect(isBareProse("Return the items, in order.")).toBe(true);
    expect(isBareProse("items.append(x)")).toBe(false);
    // Prose that names a function or quotes is prose, if most of its words are plain.
    expect(isBareProse("it's the list")).toBe(true);
    expect(isBareProse("of ttyslot() is provided")).toBe(true);
    expect(isBareProse('the "open" button')).toBe(true);
    expect(isBareProse("_phdr and dlpi_phnum")).toBe(false);
    expect(isBareProse("self.items.append(item)")).toBe(false);
    expect(isBareProse("def save(item, path):")).toBe(false);
    expect(isBareProse("if value is None")).toBe(false);
    expect(isBareProse("the list\n    of files")).toBe(false);
    expect(isBareProse("word ".repeat(ROUTER_BARE_PROSE_MAX_CHARS / 5 + 1))).toBe(false);
  });

  it("is left out of a code class's training snippets, and only there", () => {
    const prose = "the list of open files and the number of lines in each of them. ".repeat(40);
    const classes = [LANGUAGE_CLASSES[0], LANGUAGE_CLASSES[3]]; // en (prose), py (code)
    const texts = [
      { label: "en", train: prose },
      { label: "py", train: prose },
    ];
    const options = { perLanguage: 200, evalSnippets: 0 };
    const all = routerDataset(texts, (s) => tokenizer.encode(s), options).train;
    const kept = routerDataset(texts, (s) => tokenizer.encode(s), {
      ...options,
      codeClasses: codeClassIds(classes, "tokens+chars"),
    }).train;
    const count = (set: typeof all, label: string) => set.filter((e) => e.label === label).length;
    expect(codeClassIds(classes, "tokens")).toEqual([]);
    expect(count(kept, "en")).toBe(200);
    const bare = all.filter((e) => e.label === "py" && isBareProse(e.text as string)).length;
    expect(bare).toBeGreaterThan(0);
    expect(count(kept, "py")).toBe(200 - bare);
    expect(kept.some((e) => e.label === "py" && isBareProse(e.text as string))).toBe(false);
  });
});

describe("averaged SGD", () => {
  // An epoch's order and learning rate depend on its index only, so a 3-epoch run's weights are
  // a 4-epoch run's weights after its third epoch.
  const weightsAfter = (epochs: number, averaged: boolean) =>
    trainRouter(examples, {
      kind: "logreg",
      features: "tokens+chars",
      charBuckets: 1024,
      vocabSize: tokenizer.vocabSize,
      seed: 3,
      epochs,
      averaged,
    }).toJSON();

  it("returns the mean of the second half's epoch-end weights", () => {
    const [three, four, averaged] = [
      weightsAfter(3, false),
      weightsAfter(4, false),
      weightsAfter(4, true),
    ];
    averaged.weights.forEach((row, c) => {
      row.forEach((w, j) => {
        const mean = (three.weights[c][j] + four.weights[c][j]) / 2;
        expect(Math.abs(w - mean)).toBeLessThanOrEqual(1e-4 * Math.abs(mean) + 1e-12);
      });
    });
    averaged.bias.forEach((b, c) => {
      expect(b).toBeCloseTo((three.bias[c] + four.bias[c]) / 2, 4);
    });
    expect(averaged.weights).not.toEqual(four.weights);
  });
});

describe("AdaGrad", () => {
  it("takes one step of ±learning rate on each feature of a first batch (hand-computed)", () => {
    // Zero weights give every class 1/4, so a feature seen only in class y's example has the
    // batch gradient (1/4 − [c = y]) · x / 4: AdaGrad's first step, −lr · g / |g|, is +lr for y
    // and −lr for the rest. The classes are balanced, so the bias gradient is 0 and it stays 0.
    // (Ids 0–2 are special tokens, never features.)
    const single = (ids: number[], label: Language) => ({ ids, label });
    const router = trainRouter(
      [single([3, 4], "en"), single([5], "fr"), single([6], "de"), single([7], "py")],
      { kind: "logreg", vocabSize: 10, optimizer: "adagrad", learningRate: 0.05, epochs: 1 },
    );
    const { weights, bias } = router.toJSON();
    const owner: Record<number, number> = { 3: 0, 4: 0, 5: 1, 6: 2, 7: 3 };
    for (let c = 0; c < 4; c++) {
      for (const [id, y] of Object.entries(owner))
        expect(weights[c][Number(id)]).toBeCloseTo(c === y ? 0.05 : -0.05, 6);
      for (const id of [0, 1, 2, 8, 9]) expect(weights[c][id]).toBe(0);
      expect(bias[c]).toBe(0);
    }
  });
});

describe("none of these", () => {
  const other = [
    "El rápido zorro marrón salta sobre el perro perezoso. Hoy hace buen tiempo y los niños juegan.",
    "Abra el menú archivo y elija guardar para conservar su trabajo en la carpeta.",
    "function add(a, b) {\n  return a + b;\n}\nconsole.log(add(1, 2));",
    "const items = [];\nfor (let i = 0; i < 3; i++) {\n  items.push(i * 2);\n}",
  ];
  const withNone = [
    ...examples,
    ...other.flatMap((t) => t.split(/(?<=[.;}])\s+/).map((s) => ({ ...input(s), label: NONE }))),
  ];
  const router = trainRouter(withNone, {
    kind: "logreg",
    features: "tokens+chars",
    charBuckets: 4096,
    vocabSize: tokenizer.vocabSize,
    classes: [...LANGUAGE_CLASSES, NONE_CLASS],
    seed: 1,
  });

  it("hands text of none of the classes to none, and the rest to their class", () => {
    expect(router.predict(input("Los niños abren el documento y guardan su trabajo.")).label).toBe(
      NONE,
    );
    expect(router.predict(input("let total = add(2, 3);\nconsole.log(total);")).label).toBe(NONE);
    for (const [text, lang] of heldOut) expect(router.predict(input(text)).label).toBe(lang);
  });

  it("sends a prompt of none of the classes to the common expert (Teacher vs student)", () => {
    const spanish = layoutPrompt(
      tokenizer,
      router,
      "Los niños abren el documento y guardan su trabajo.",
    );
    expect(spanish).toMatchObject({ label: NONE, expert: COMMON_EXPERT });
    expect(layoutPrompt(tokenizer, router, heldOut[1][0])).toMatchObject({
      label: "fr",
      expert: "expert-fr",
    });
  });

  it("reads a text without its emoji or code's strings in another script; emoji alone are none", () => {
    const encode = (s: string) => tokenizer.encode(s);
    expect(routerInput("Danke 😊", encode)).toEqual(input("Danke"));
    expect(routerInput("Great 🎉 job 👍🏽!", encode).text).toBe("Great job!");
    // A joined family, a flag, a heart and © with the emoji selector, check-mark and watch emoji.
    expect(routerInput("👨‍👩‍👧 🇫🇷 ❤️ ✅ ⌚ ©️", encode).text).toBe("");
    expect(routerReading("Great 🎉 job 👍🏽! 👨‍👩‍👧 🇫🇷 ❤️")).toEqual({
      read: "Great job!",
      emoji: 5,
      quoted: 0,
    });
    // Symbols of text (©, →, ✓, a heart without the emoji selector) and other scripts are read.
    for (const kept of ["© 2024 → ✓ ❤", "Привет, мир", "naïve café"])
      expect(routerInput(kept, encode).text).toBe(kept);
    expect(router.route("Danke 😊", encode)).toEqual(router.predict(input("Danke")));
    // What code quotes or comments in another script is not read, unless nothing else has letters.
    const read = (text: string) => routerInput(text, encode).text;
    expect(read('print("Привет, " + name)  # приветствие')).toBe('print(", " + name)  # ');
    expect(routerReading('print("Привет") 🎉')).toEqual({ read: 'print("")', emoji: 1, quoted: 6 });
    expect(read("s = '你好。' if ok else 'été'")).toBe("s = '' if ok else 'été'");
    expect(read('Он сказал "привет" и ушёл')).toBe('Он сказал "" и ушёл');
    for (const kept of ['"Привет, мир"', "don't → Привет", 'Il a dit "café" # à'])
      expect(read(kept)).toBe(kept);
    for (const nothing of ["🎉🎉🎉", "👍🏽 \n ✅"]) {
      const p = router.route(nothing, encode);
      expect(p).toMatchObject({ label: NONE, top: NONE });
      expect(p.probs[NONE]).toBe(1);
      expect(router.strongestFeatures(routerInput(nothing, encode), NONE, 5, String)).toEqual([]);
    }
    // The paper's router has no none class: it still answers one of its languages.
    const paper = trainRouter(examples, { kind: "logreg", vocabSize: tokenizer.vocabSize });
    expect(LANGUAGES).toContain(paper.route("🎉", encode).label);
  });

  it("calls none only from the threshold chosen for the text's length", () => {
    const byLength = new Map([
      [20, examples.filter((e) => (e.text?.length ?? 0) < 60)],
      [100, examples.filter((e) => (e.text?.length ?? 0) >= 60)],
    ]);
    const thresholds = chooseNoneThresholds(router, byLength, 0);
    expect(thresholds.map((t) => t.chars)).toEqual([20, 100]);
    // With no false none allowed, no training text of the four classes is called none.
    const strict = router.withNoneThresholds(thresholds);
    for (const e of examples) expect(strict.predict(e).label).not.toBe(NONE);
    for (const t of thresholds) expect(t.probability).toBeGreaterThanOrEqual(0.5);
    // Thresholds interpolate in log length and hold flat outside.
    const [a, b] = thresholds;
    expect(strict.noneThresholdAt(5)).toBe(a.probability);
    expect(strict.noneThresholdAt(500)).toBe(b.probability);
    expect(strict.noneThresholdAt(Math.sqrt(20 * 100))).toBeCloseTo(
      (a.probability + b.probability) / 2,
      9,
    );
  });
});

describe("classes are data", () => {
  const spanish = [
    "El zorro salta sobre el perro. Los niños juegan en el jardín.",
    "Abra el menú y elija guardar. El documento se guarda en su carpeta.",
    "Ella dijo que el tren llegaría a mediodía, pero llegó tarde por la nieve.",
  ];
  const five = [
    ...examples,
    ...spanish.flatMap((t) => t.split(/(?<=\.)\s+/).map((s) => ({ ...input(s), label: "es" }))),
  ];
  const classes = [
    ...LANGUAGE_CLASSES,
    { id: "es", name: "Spanish", expert: "expert-es", layout: "prose" as const },
  ];
  const router = trainRouter(five, {
    kind: "logreg",
    features: "tokens+chars",
    charBuckets: 4096,
    vocabSize: tokenizer.vocabSize,
    classes,
    seed: 1,
  });

  it("a fifth language is one more entry in the file", () => {
    const copy = Router.fromJSON(JSON.parse(JSON.stringify(router.toJSON())));
    expect(copy.classes.map((c) => c.name)).toEqual([
      "English",
      "French",
      "German",
      "Python",
      "Spanish",
    ]);
    expect(copy.predict(input("Los niños abren el documento.")).label).toBe("es");
    expect(copy.predict(input(heldOut[1][0])).label).toBe("fr");
  });

  it("rejects files with bad classes, thresholds or weights", () => {
    const json = router.toJSON();
    expect(() => Router.fromJSON({ ...json, classes: json.classes.slice(0, 4) })).toThrow(/match/);
    expect(() =>
      Router.fromJSON({ ...json, classes: [...json.classes.slice(0, 4), json.classes[0]] }),
    ).toThrow(/repeat/);
    expect(() =>
      Router.fromJSON({ ...json, classes: json.classes.map((c) => ({ ...c, id: "<b>" })) }),
    ).toThrow(/id/);
    expect(() =>
      Router.fromJSON({ ...json, noneThresholds: [{ chars: 20, probability: 0.9 }] }),
    ).toThrow(/none class/);
    const weights = json.weights.map((row) => [...row]);
    weights[0][0] = null as unknown as number;
    expect(() => Router.fromJSON({ ...json, weights })).toThrow(/finite/);
  });
});

describe("router edge cases", () => {
  const router = trainRouter(examples, { kind: "logreg", vocabSize: tokenizer.vocabSize });

  it("handles empty input and out-of-range ids without throwing", () => {
    const empty = router.predict({ ids: [] });
    expect(Object.values(empty.probs).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(router.predict({ ids: [999999, -1, 1, 2] }).label).toBe(empty.label);
  });

  it("rejects malformed router files and training sets missing a language", () => {
    expect(() => Router.fromJSON({ format: "nope" })).toThrow(/mome-router/);
    const broken = { ...router.toJSON(), bias: [0] };
    expect(() => Router.fromJSON(broken)).toThrow(/matching/);
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

describe("router files of both versions", () => {
  it("reads the shipped (version 2) router as its named blocks, scoring the same as version 3", async () => {
    const { readFile } = await import("node:fs/promises");
    const shipped = JSON.parse(await readFile("public/models/router.json", "utf8"));
    expect(shipped.version).toBe(2);
    const router = Router.fromJSON(shipped);
    expect(router.blocks).toEqual(["tokens", "chars", "lines", "scripts"]);
    const v3 = router.toJSON();
    expect(v3.version).toBe(3);
    const again = Router.fromJSON(JSON.parse(JSON.stringify(v3)));
    for (const text of ["Bonjour à tous", "def f(x):\n    return x", "Привет, мир"]) {
      const input = { ids: [], text };
      expect(again.scores(input)).toEqual(router.scores(input));
    }
  });

  it("refuses a version 3 file naming an unknown or repeated block", () => {
    const file = (blocks: unknown) =>
      twoClassFile({
        version: 3,
        blocks,
        vocabSize: 10,
        charBuckets: 0,
        termFrequency: "raw",
        idf: new Array(10).fill(1),
        weights: [new Array(10).fill(0), new Array(10).fill(0)],
      });
    expect(Router.fromJSON(file(["tokens"])).blocks).toEqual(["tokens"]);
    expect(() => Router.fromJSON(file(["tokens", "emoji"]))).toThrow(/blocks/);
    expect(() => Router.fromJSON(file(["tokens", "tokens"]))).toThrow(/blocks/);
  });
});
