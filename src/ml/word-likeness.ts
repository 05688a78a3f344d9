/**
 * How word-like generated text is: the share of its words that occur in a reference text (the
 * validation text of its language). Word salad built from real subwords scores low; text made of
 * real words scores high, whatever their order. A word is a run of letters (any script) or, for
 * code, of letters, digits and underscores; case is ignored.
 */
const WORD = /[\p{L}_][\p{L}\p{N}_]*/gu;

/** The words of `text`, lower-cased, in order. */
export function words(text: string): string[] {
  return (text.match(WORD) ?? []).map((w) => w.toLowerCase());
}

/** The set of words a reference text uses. */
export function vocabularyOf(text: string): Set<string> {
  return new Set(words(text));
}

/** Share of `text`'s words found in `vocabulary` (null when it has no words), and the counts. */
export function wordLikeness(
  text: string,
  vocabulary: Set<string>,
): { share: number | null; found: number; words: number } {
  const all = words(text);
  const found = all.filter((w) => vocabulary.has(w)).length;
  return { share: all.length === 0 ? null : found / all.length, found, words: all.length };
}
