/**
 * The feature vector: the router's blocks side by side (in its file's order), each block's term
 * frequencies × idf L2-normalised on its own.
 */
import type { BlockSizes } from "./blocks/block";
import { type BlockId, blockById, type RegisteredBlock } from "./blocks/registry";
import type { RouterInput } from "./reading";

export const TERM_FREQUENCIES = ["raw", "sublinear"] as const;
export type TermFrequency = (typeof TERM_FREQUENCIES)[number];

export interface SparseVector {
  indices: number[];
  values: number[];
}

/** Where a block's features sit in the vector. */
export interface PlacedBlock {
  block: RegisteredBlock;
  offset: number;
  size: number;
}

/** The blocks of a router, placed, and how counts enter the vector. */
export interface FeatureLayout {
  sizes: BlockSizes;
  termFrequency: TermFrequency;
  blocks: PlacedBlock[];
  /** Every feature's count: the blocks' sizes added up. */
  dimension: number;
}

export function featureLayout(
  ids: readonly string[],
  sizes: BlockSizes,
  termFrequency: TermFrequency,
): FeatureLayout {
  let offset = 0;
  const blocks = ids.map((id) => {
    const block = blockById(id);
    if (!block) throw new Error(`router: unknown feature block ${id}`);
    const placed = { block, offset, size: block.size(sizes) };
    offset += placed.size;
    return placed;
  });
  return { sizes, termFrequency, blocks, dimension: offset };
}

/** The index (into layout.blocks) of the block that feature j belongs to. */
export function blockIndexOf(layout: FeatureLayout, j: number): number {
  const { blocks } = layout;
  for (let b = 0; b < blocks.length - 1; b++) if (j < blocks[b + 1].offset) return b;
  return blocks.length - 1;
}

/** 1 + ln(count) for the small counts that are nearly all of them, computed once. */
const SUBLINEAR = Float64Array.from({ length: 256 }, (_, count) => 1 + Math.log(count));

/** A feature's count as it enters the vector. */
const weighting = (tf: TermFrequency) =>
  tf === "sublinear"
    ? (count: number) => (count < 256 ? SUBLINEAR[count] : 1 + Math.log(count))
    : (count: number) => count;

/**
 * Counts features into a dense scratch array and hands back the touched indices (the scratch is
 * reused from call to call: routing as the user types allocates almost nothing). With `only`,
 * it counts those blocks alone (at their places in the full vector).
 */
export class FeatureCounter {
  private readonly counts: Float64Array;
  private readonly touched: number[] = [];
  private readonly blocks: PlacedBlock[];
  /** Where each counted block's indices end in `touched`. */
  private readonly blockEnds: number[];
  readonly tf: (count: number) => number;

  constructor(
    readonly layout: FeatureLayout,
    only?: readonly BlockId[],
  ) {
    this.counts = new Float64Array(layout.dimension);
    this.blocks = layout.blocks.filter((b) => only?.includes(b.block.id) ?? true);
    this.blockEnds = this.blocks.map(() => 0);
    this.tf = weighting(layout.termFrequency);
  }

  /** Counts `input`'s features into the scratch; the caller sets the touched counts back to 0. */
  private fill(input: RouterInput): number[] {
    const { counts, touched, blockEnds } = this;
    touched.length = 0;
    this.blocks.forEach(({ block, offset }, b) => {
      if (block.readsText && input.text === undefined)
        throw new Error("router: this router reads the text, not only ids");
      block.count(input, this.layout.sizes, counts, offset, touched);
      blockEnds[b] = touched.length;
    });
    return touched;
  }

  /** The counts of every feature of `input`, as [indices, counts]. */
  count(input: RouterInput): { indices: number[]; counts: number[] } {
    const touched = this.fill(input);
    const out = { indices: touched.slice(), counts: touched.map((j) => this.counts[j]) };
    for (const j of touched) this.counts[j] = 0;
    return out;
  }

  /**
   * The class scores b + W·x in one pass over the touched features, without building x: each
   * block's dot products are scaled by its norm at the end. `weightsByFeature` is [feature][class].
   */
  scores(
    input: RouterInput,
    idf: Float64Array,
    weightsByFeature: Float64Array,
    bias: readonly number[],
  ): number[] {
    const touched = this.fill(input);
    const { counts, tf } = this;
    const classes = bias.length;
    const scores = bias.slice();
    const dots = new Float64Array(classes);
    let start = 0;
    for (const end of this.blockEnds) {
      dots.fill(0);
      let norm = 0;
      for (let t = start; t < end; t++) {
        const j = touched[t];
        const v = tf(counts[j]) * idf[j];
        counts[j] = 0;
        norm += v * v;
        const row = j * classes;
        for (let c = 0; c < classes; c++) dots[c] += weightsByFeature[row + c] * v;
      }
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 1;
      for (let c = 0; c < classes; c++) scores[c] += dots[c] * scale;
      start = end;
    }
    return scores;
  }
}

/** sklearn's smooth idf, ln((1 + n) / (1 + df)) + 1, over every feature. */
export function fitIdf(inputs: readonly RouterInput[], counter: FeatureCounter): Float64Array {
  const df = new Float64Array(counter.layout.dimension);
  for (const input of inputs) for (const j of counter.count(input).indices) df[j]++;
  return df.map((d) => Math.log((1 + inputs.length) / (1 + d)) + 1);
}

/** Each block's term frequencies × idf, L2-normalised block by block. */
export function featureVector(
  input: RouterInput,
  counter: FeatureCounter,
  idf: Float64Array,
): SparseVector {
  const { indices, counts } = counter.count(input);
  const values = indices.map((j, k) => counter.tf(counts[k]) * idf[j]);
  const norms = counter.layout.blocks.map(() => 0);
  const block = (j: number) => blockIndexOf(counter.layout, j);
  indices.forEach((j, k) => {
    norms[block(j)] += values[k] * values[k];
  });
  const scale = norms.map((n) => (n > 0 ? 1 / Math.sqrt(n) : 1));
  return { indices, values: values.map((v, k) => v * scale[block(indices[k])]) };
}
