/**
 * Hashed character n-grams (n = 2…4) of the lower-cased text: short texts carry few tokens but
 * many n-grams. FNV-1a over UTF-16 code units, into a power-of-two number of buckets.
 */
import type { FeatureBlock } from "./block";

/** Character n-grams of 2 to 4 characters (single characters add little and cost a quarter). */
const N_MIN = 2;
const N_MAX = 4;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
export const DEFAULT_CHAR_BUCKETS = 1 << 14;

/** The text as n-grams see it: lower case, framed by spaces (offsets stay those of the text + 1). */
export const framed = (text: string) => {
  const lower = text.toLowerCase();
  return ` ${lower.length === text.length ? lower : text} `;
};

/**
 * Calls `visit(bucket, start, n)` for every character n-gram (n = 2…4) of the framed text,
 * extending the hash one character at a time.
 */
export function forEachNgram(
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

export const charsBlock = {
  id: "chars",
  featureKind: "chars",
  verbatim: true,
  readsText: true,
  size: (sizes) => sizes.charBuckets,
  count(input, sizes, counts, offset, touched) {
    // forEachNgram, inlined: this loop is most of the time spent routing.
    const s = framed(input.text as string);
    const mask = sizes.charBuckets - 1;
    for (let i = 0; i + N_MIN <= s.length; i++) {
      let h = FNV_OFFSET;
      for (let k = i; k < i + N_MIN - 1; k++) h = Math.imul(h ^ s.charCodeAt(k), FNV_PRIME);
      const last = Math.min(s.length, i + N_MAX);
      for (let k = i + N_MIN - 1; k < last; k++) {
        h = Math.imul(h ^ s.charCodeAt(k), FNV_PRIME);
        const j = offset + (h & mask);
        if (counts[j] === 0) touched.push(j);
        counts[j]++;
      }
    }
  },
  namer(input, sizes) {
    const names = new Map<number, string>();
    if (input.text !== undefined) {
      const s = framed(input.text);
      forEachNgram(input.text, sizes.charBuckets, (bucket, start, n) => {
        if (!names.has(bucket)) names.set(bucket, s.slice(start, start + n));
      });
    }
    return (bucket) => names.get(bucket) ?? "?";
  },
} as const satisfies FeatureBlock<"chars", "chars">;
