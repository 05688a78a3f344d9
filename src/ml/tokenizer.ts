/**
 * Run-time tokenizer: encoding and decoding go through `@huggingface/tokenizers` reading the
 * `tokenizer.json` written by the trainer.
 *
 * Special tokens are only ever inserted by code: a literal "<eos>" typed by a user is encoded as
 * ordinary bytes, so user text can never end a sequence. Strings are UTF-8 encoded; a lone
 * surrogate (not valid Unicode) is encoded as U+FFFD, the replacement character, and decodes so.
 */
import { Tokenizer } from "@huggingface/tokenizers";
import {
  BOS_ID,
  bytesToUnicode,
  EOS_ID,
  type HfTokenizerJson,
  PAD_ID,
  SPECIAL_TOKENS,
} from "./bpe-trainer";

/** The byte-level pre-tokenizer's split (GPT-2's pattern, as in @huggingface/tokenizers). */
const PRE_TOKENIZER =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
const UTF8 = new TextEncoder();
const BYTE_CHARS = bytesToUnicode();
/** Words remembered at most (then forgotten all at once: simple, and rare). */
const WORD_CACHE_SIZE = 50_000;

export class BpeTokenizer {
  readonly vocabSize: number;
  readonly padId = PAD_ID;
  readonly bosId = BOS_ID;
  readonly eosId = EOS_ID;
  private readonly hf: Tokenizer;
  private readonly words = new Map<string, number[]>();
  /** Each byte's token id. */
  private readonly byteIds: Int32Array;
  /** Merge rank of each mergeable pair of token ids, keyed left · vocabSize + right. */
  private readonly ranks = new Map<number, number>();
  /** The token id each merge makes, by rank. */
  private readonly merged: Int32Array;

  constructor(readonly json: HfTokenizerJson) {
    if (json?.model?.type !== "BPE" || typeof json.model.vocab !== "object") {
      throw new Error("tokenizer.json: expected a BPE model with a vocabulary");
    }
    SPECIAL_TOKENS.forEach((token, id) => {
      if (json.model.vocab[token] !== id) {
        throw new Error(`tokenizer.json: special token ${token} must have id ${id}`);
      }
    });
    this.vocabSize = Object.keys(json.model.vocab).length;
    this.hf = new Tokenizer(json, { clean_up_tokenization_spaces: false });
    const idOf = (symbol: string) => {
      const id = json.model.vocab[symbol];
      if (id === undefined)
        throw new Error(`tokenizer.json: no token for ${JSON.stringify(symbol)}`);
      return id;
    };
    this.byteIds = Int32Array.from(BYTE_CHARS, idOf);
    this.merged = new Int32Array(json.model.merges.length);
    json.model.merges.forEach((merge, rank) => {
      const [left, right] = Array.isArray(merge) ? merge : String(merge).split(" ");
      this.ranks.set(idOf(left) * this.vocabSize + idOf(right), rank);
      this.merged[rank] = idOf(left + right);
    });
  }

  /**
   * Token ids of `text`, without <bos>/<eos>. The text is cut into the byte-level pre-tokenizer's
   * words here, each word is encoded by `bpe` and its ids are remembered: words repeat, so most
   * are never re-encoded (the router tokenizes as the user types). The result equals the Hugging
   * Face tokenizer's for the whole text (`encodeWhole`; tested on every corpus).
   */
  encode(text: string): number[] {
    const ids: number[] = [];
    for (const piece of splitSpecialLiterals(text.toWellFormed())) {
      for (const word of piece.match(PRE_TOKENIZER) ?? []) {
        let wordIds = this.words.get(word);
        if (!wordIds) {
          wordIds = this.bpe(word);
          if (this.words.size >= WORD_CACHE_SIZE) this.words.clear();
          this.words.set(word, wordIds);
        }
        // A loop, not push(...ids): spreading a long document overflows the call stack.
        for (const id of wordIds) ids.push(id);
      }
    }
    return ids;
  }

  /**
   * One pre-tokenized word's ids by byte-level BPE: its UTF-8 bytes' tokens, then the adjacent
   * pair of lowest merge rank is merged (leftmost first) until no pair has a rank. Pairs are
   * looked up by their two ids, so no strings are built.
   */
  private bpe(word: string): number[] {
    const ids = Array.from(UTF8.encode(word), (b) => this.byteIds[b]);
    const n = this.vocabSize;
    for (;;) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = this.ranks.get(ids[i] * n + ids[i + 1]);
        if (rank !== undefined && rank < bestRank) {
          bestRank = rank;
          best = i;
        }
      }
      if (best < 0) return ids;
      ids.splice(best, 2, this.merged[bestRank]);
    }
  }

  /** The Hugging Face tokenizer's ids for the whole text at once (the reference for `encode`). */
  encodeWhole(text: string): number[] {
    const ids: number[] = [];
    for (const piece of splitSpecialLiterals(text.toWellFormed()))
      if (piece.length > 0)
        for (const id of this.hf.encode(piece, { add_special_tokens: false }).ids) ids.push(id);
    return ids;
  }

  /** Text of `ids`; special tokens are dropped unless `keepSpecial`. */
  decode(ids: readonly number[], keepSpecial = false): string {
    if (ids.length === 0) return "";
    const bad = ids.find((id) => !Number.isInteger(id) || id < 0 || id >= this.vocabSize);
    if (bad !== undefined)
      throw new Error(`token id ${bad} is outside the vocabulary (0–${this.vocabSize - 1})`);
    return this.hf.decode(Array.from(ids), {
      skip_special_tokens: !keepSpecial,
      clean_up_tokenization_spaces: false,
    });
  }

  /**
   * The ids as readable pieces: each token's own text, except that tokens which only together
   * form a character (byte-level BPE can split one) are one piece. Pieces cover the ids in order.
   */
  pieces(ids: readonly number[]): { start: number; end: number; text: string }[] {
    const out: { start: number; end: number; text: string }[] = [];
    for (let start = 0; start < ids.length; ) {
      let end = start + 1;
      // A UTF-8 character has at most 4 bytes, so at most 4 tokens.
      while (
        end < ids.length &&
        end - start < 4 &&
        this.decode(ids.slice(start, end), true).includes("\uFFFD")
      )
        end++;
      out.push({ start, end, text: this.decode(ids.slice(start, end), true) });
      start = end;
    }
    return out;
  }
}

/**
 * Cuts every literal special-token string (e.g. "<eos>") after its first character, so that the
 * Hugging Face tokenizer, which matches added tokens in raw text, sees only ordinary bytes.
 */
function splitSpecialLiterals(text: string): string[] {
  let pieces = [text];
  for (const token of SPECIAL_TOKENS) {
    pieces = pieces.flatMap((piece) => {
      const parts = piece.split(token);
      return parts.flatMap((part, i) => (i === 0 ? [part] : ["<", token.slice(1) + part]));
    });
  }
  return pieces;
}
