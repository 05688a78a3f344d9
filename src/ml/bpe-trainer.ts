/**
 * Byte-level BPE trainer that writes a Hugging Face `tokenizer.json`.
 *
 * Text is split with the GPT-2 pre-tokenizer pattern (the same one the ByteLevel pre-tokenizer
 * of `@huggingface/tokenizers` applies at run time), each piece is mapped byte by byte to
 * printable characters, and the most frequent adjacent pair is merged until the vocabulary is
 * full. All 256 bytes are in the base alphabet, so every string encodes without an unknown token.
 */

export const SPECIAL_TOKENS = ["<pad>", "<bos>", "<eos>"] as const;
export const PAD_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;

/** The GPT-2 split pattern, as used by ByteLevel pre-tokenization. */
export const GPT2_SPLIT_PATTERN =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** GPT-2's reversible byte → printable character table. */
export function bytesToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table: string[] = new Array(256);
  for (const b of printable) table[b] = String.fromCharCode(b);
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) table[b] = String.fromCharCode(256 + shifted++);
  }
  return table;
}

export interface BpeTrainOptions {
  /** Final vocabulary size, special tokens and the 256 byte symbols included. */
  vocabSize: number;
  /** A pair must occur at least this often to be merged. */
  minFrequency?: number;
  /** Called every few hundred merges with (merges done, merges wanted). */
  onProgress?: (done: number, total: number) => void;
}

export interface HfTokenizerJson {
  version: "1.0";
  truncation: null;
  padding: null;
  added_tokens: {
    id: number;
    content: string;
    single_word: boolean;
    lstrip: boolean;
    rstrip: boolean;
    normalized: boolean;
    special: boolean;
  }[];
  normalizer: null;
  pre_tokenizer: {
    type: "ByteLevel";
    add_prefix_space: boolean;
    trim_offsets: boolean;
    use_regex: boolean;
  };
  post_processor: null;
  decoder: {
    type: "ByteLevel";
    add_prefix_space: boolean;
    trim_offsets: boolean;
    use_regex: boolean;
  };
  model: {
    type: "BPE";
    dropout: null;
    unk_token: null;
    continuing_subword_prefix: null;
    end_of_word_suffix: null;
    fuse_unk: boolean;
    byte_fallback: boolean;
    ignore_merges: boolean;
    vocab: Record<string, number>;
    merges: [string, string][];
  };
}

/** Counts pre-tokenized pieces (as byte-level strings) over all texts. */
export function countWords(texts: Iterable<string>): Map<string, number> {
  const byteChar = bytesToUnicode();
  const encoder = new TextEncoder();
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const piece of text.match(GPT2_SPLIT_PATTERN) ?? []) {
      let word = "";
      for (const byte of encoder.encode(piece)) word += byteChar[byte];
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/** Max-heap of (count, pair key) with lazy deletion; ties go to the smaller key, so runs repeat. */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.above(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { count: number; key: number } {
    const top = { count: this.counts[0], key: this.keys[0] };
    const lastCount = this.counts.pop() as number;
    const lastKey = this.keys.pop() as number;
    if (this.keys.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.keys.length && this.above(l, best)) best = l;
        if (r < this.keys.length && this.above(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }

  private above(a: number, b: number): boolean {
    return (
      this.counts[a] > this.counts[b] ||
      (this.counts[a] === this.counts[b] && this.keys[a] < this.keys[b])
    );
  }

  private swap(a: number, b: number): void {
    [this.counts[a], this.counts[b]] = [this.counts[b], this.counts[a]];
    [this.keys[a], this.keys[b]] = [this.keys[b], this.keys[a]];
  }
}

const KEY_BASE = 1 << 20;
/** The largest vocabulary trainBpe makes (far above any model here; ids must fit pair keys). */
export const MAX_VOCAB_SIZE = 65_536;
const pairKey = (a: number, b: number): number => a * KEY_BASE + b;

/** Trains a byte-level BPE vocabulary on `texts` and returns it as a `tokenizer.json` object. */
export function trainBpe(texts: Iterable<string>, options: BpeTrainOptions): HfTokenizerJson {
  const minFrequency = options.minFrequency ?? 2;
  const byteChars = bytesToUnicode();
  const symbols: string[] = [...SPECIAL_TOKENS, ...byteChars];
  if (options.vocabSize < symbols.length) {
    throw new Error(`vocabSize must be at least ${symbols.length} (3 special tokens + 256 bytes)`);
  }
  if (options.vocabSize > MAX_VOCAB_SIZE)
    throw new Error(`vocabSize must be at most ${MAX_VOCAB_SIZE}`);
  const idOf = new Map(symbols.map((s, i) => [s, i]));

  const wordCounts = countWords(texts);
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [word, count] of wordCounts) {
    words.push(Array.from(word, (ch) => idOf.get(ch) as number));
    freqs.push(count);
  }

  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: 1 | -1, changed: Set<number>) => {
    const word = words[w];
    for (let i = 0; i + 1 < word.length; i++) {
      const key = pairKey(word[i], word[i + 1]);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * freqs[w]);
      changed.add(key);
      if (sign > 0) {
        const set = pairWords.get(key);
        if (set) set.add(w);
        else pairWords.set(key, new Set([w]));
      }
    }
  };
  const initial = new Set<number>();
  for (let w = 0; w < words.length; w++) addPairs(w, 1, initial);
  const heap = new PairHeap();
  for (const key of initial) heap.push(pairCounts.get(key) as number, key);

  const merges: [string, string][] = [];
  const wanted = options.vocabSize - symbols.length;
  while (symbols.length < options.vocabSize && heap.size > 0) {
    const { count, key } = heap.pop();
    if (pairCounts.get(key) !== count) continue; // stale heap entry
    if (count < minFrequency) break;
    const a = Math.floor(key / KEY_BASE);
    const b = key % KEY_BASE;
    const merged = symbols.length;
    symbols.push(symbols[a] + symbols[b]);
    merges.push([symbols[a], symbols[b]]);

    const changed = new Set<number>();
    for (const w of pairWords.get(key) ?? []) {
      addPairs(w, -1, changed);
      const word = words[w];
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === a && word[i + 1] === b) {
          next.push(merged);
          i++;
        } else next.push(word[i]);
      }
      words[w] = next;
      addPairs(w, 1, changed);
    }
    pairWords.delete(key);
    for (const k of changed) {
      const c = pairCounts.get(k) as number;
      if (c > 0) heap.push(c, k);
      else pairCounts.delete(k);
    }
    if (merges.length % 200 === 0) options.onProgress?.(merges.length, wanted);
  }
  options.onProgress?.(merges.length, wanted);

  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", ...byteLevel },
    post_processor: null,
    decoder: { type: "ByteLevel", ...byteLevel },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(symbols.map((s, i) => [s, i])),
      merges,
    },
  };
}
