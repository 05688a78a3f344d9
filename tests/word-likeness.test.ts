import { describe, expect, it } from "vitest";
import { vocabularyOf, wordLikeness, words } from "../src/ml/word-likeness";

describe("word-likeness", () => {
  it("splits letters (any script), digits inside identifiers and underscores into lower-cased words", () => {
    expect(words("Öffnen Sie das Menü, def insert_table2(x): return 3")).toEqual([
      "öffnen",
      "sie",
      "das",
      "menü",
      "def",
      "insert_table2",
      "x",
      "return",
    ]);
  });

  it("counts the share of words found in the reference vocabulary (hand-computed)", () => {
    const vocabulary = vocabularyOf("Le menu Tableau, puis insérer un tableau.");
    // words: le, menu, tablaeu, insérer, xyzzy → found: le, menu, insérer = 3 of 5
    expect(wordLikeness("Le menu tablaeu insérer xyzzy", vocabulary)).toEqual({
      share: 0.6,
      found: 3,
      words: 5,
    });
    expect(wordLikeness("… 42 !", vocabulary)).toEqual({ share: null, found: 0, words: 0 });
  });
});
