/**
 * A feature block: one kind of evidence the router reads (token ids, character n-grams…). Blocks
 * sit side by side in the feature vector, in the order the router file lists them; each is
 * weighted by its term frequency × idf and L2-normalised on its own. A new block is one file
 * beside this one and one line in registry.ts.
 */
import type { RouterInput } from "../reading";

/** The router's sizes that blocks take theirs from. */
export interface BlockSizes {
  /** The tokenizer's vocabulary. */
  vocabSize: number;
  /** Character n-gram hash buckets (0 without the n-gram block). */
  charBuckets: number;
}

export interface FeatureBlock<Id extends string = string, Kind extends string = string> {
  /** How router files, training options and explanations name the block. */
  readonly id: Id;
  /** How an explanation names one of its features (Feature.kind). */
  readonly featureKind: Kind;
  /** Whether its features' names are pieces of the text (shown quoted) or names of properties. */
  readonly verbatim: boolean;
  /** Whether it reads the text (else the token ids alone). */
  readonly readsText: boolean;
  /** How many features it has in a router of these sizes. */
  size(sizes: BlockSizes): number;
  /**
   * Counts the features of `input` into `counts` from `offset` on, pushing each index it makes
   * nonzero onto `touched`, in the order it first meets them.
   */
  count(
    input: RouterInput,
    sizes: BlockSizes,
    counts: Float64Array,
    offset: number,
    touched: number[],
  ): void;
  /** Names each of its features (by index within the block) as met in `input`. */
  namer(
    input: RouterInput,
    sizes: BlockSizes,
    tokenText: (id: number) => string,
  ): (feature: number) => string;
}
