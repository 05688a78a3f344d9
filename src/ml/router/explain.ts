/**
 * Why the router decided: each feature's centred contribution to every class score, summed by
 * token, by character, by block, or ranked; and the whole explanation of a routed text, with each
 * token's evidence and that of the n-grams starting inside it merged.
 */
import type { BpeTokenizer } from "../tokenizer";
import type { BlockSizes } from "./blocks/block";
import { forEachNgram } from "./blocks/chars";
import { BLOCK_IDS, type BlockId, type FeatureKind } from "./blocks/registry";
import { countsToken } from "./blocks/tokens";
import type { RouterClass } from "./classes";
import { blockIndexOf, type FeatureLayout, type SparseVector } from "./features";
import { type Reading, type RouterInput, routerReading } from "./reading";
import type { FeatureSet } from "./router-file";

/** How much a feature pushed toward each class, relative to the classes' mean. */
export type Push = Record<string, number>;

export interface TokenEvidence {
  position: number;
  id: number;
  push: Push;
}

export interface CharEvidence {
  /** Offset in the text where the n-grams start. */
  offset: number;
  push: Push;
}

export interface Feature {
  kind: FeatureKind;
  /** Index within its block: a token id, an n-gram bucket, an index into LINE_FEATURES… */
  id: number;
  text: string;
  /** Whether `text` is a piece of the input (shown quoted) rather than the name of a property. */
  verbatim: boolean;
  /** Contribution to the winning class's score relative to the classes' mean. */
  push: number;
}

/** What explaining needs of a router (model.ts's Router has it). */
export interface Explainable {
  readonly classes: readonly RouterClass[];
  readonly layout: FeatureLayout;
  vector(input: RouterInput): SparseVector;
  tokenVector(input: RouterInput): SparseVector;
  weight(c: number, j: number): number;
}

const zeros = (classes: readonly RouterClass[]): Push =>
  Object.fromEntries(classes.map((c) => [c.id, 0]));

/** Each feature's centred contribution to every class score (indexed like the vector). */
function contributions(router: Explainable, x: SparseVector): Push[] {
  return x.indices.map((j, k) => {
    const raw = router.classes.map((_, c) => router.weight(c, j) * x.values[k]);
    const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
    return Object.fromEntries(router.classes.map((c, i) => [c.id, raw[i] - mean]));
  });
}

/**
 * Per-token contributions of the token features, split evenly over a token's repeats (the token
 * block alone, which needs no text).
 */
export function tokenEvidence(router: Explainable, input: RouterInput): TokenEvidence[] {
  const tokens = router.layout.blocks.find((b) => b.block.id === "tokens");
  const x = router.tokenVector({ ids: input.ids });
  const push = contributions(router, x);
  const byId = new Map<number, Push>();
  x.indices.forEach((j, k) => {
    if (tokens) byId.set(j - tokens.offset, push[k]);
  });
  const counts = new Map<number, number>();
  for (const id of input.ids)
    if (countsToken(id, router.layout.sizes.vocabSize)) counts.set(id, (counts.get(id) ?? 0) + 1);
  const zero = zeros(router.classes);
  return input.ids.map((id, position) => {
    const p = byId.get(id);
    const n = counts.get(id) ?? 1;
    return {
      position,
      id,
      push: p ? Object.fromEntries(Object.entries(p).map(([c, v]) => [c, v / n])) : zero,
    };
  });
}

/**
 * Per-character contributions of the n-gram features: each n-gram occurrence's share of its
 * bucket's contribution, credited to the text offset where it starts. Empty without n-grams.
 */
export function charEvidence(router: Explainable, input: RouterInput): CharEvidence[] {
  const chars = router.layout.blocks.find((b) => b.block.id === "chars");
  if (!chars || input.text === undefined) return [];
  const { charBuckets } = router.layout.sizes;
  const x = router.vector(input);
  const push = contributions(router, x);
  const byBucket = new Map<number, Push>();
  x.indices.forEach((j, k) => {
    if (j >= chars.offset && j < chars.offset + chars.size) byBucket.set(j - chars.offset, push[k]);
  });
  const occurrences = new Map<number, number>();
  forEachNgram(input.text, charBuckets, (b) => {
    occurrences.set(b, (occurrences.get(b) ?? 0) + 1);
  });
  const out: CharEvidence[] = Array.from({ length: input.text.length }, (_, offset) => ({
    offset,
    push: zeros(router.classes),
  }));
  forEachNgram(input.text, charBuckets, (b, start) => {
    // Framed offsets are text offsets + 1; the leading space's n-grams go to offset 0.
    const at = out[Math.min(Math.max(start - 1, 0), out.length - 1)];
    const p = byBucket.get(b);
    if (!at || !p) return;
    const n = occurrences.get(b) as number;
    for (const c of router.classes) at.push[c.id] += p[c.id] / n;
  });
  return out;
}

/** How much each block's features push toward every class (zeros for blocks it does not read). */
export function evidenceByKind(router: Explainable, input: RouterInput): Record<BlockId, Push> {
  const x = router.vector(input);
  const push = contributions(router, x);
  const out = Object.fromEntries(BLOCK_IDS.map((id) => [id, zeros(router.classes)])) as Record<
    BlockId,
    Push
  >;
  x.indices.forEach((j, k) => {
    const sum = out[router.layout.blocks[blockIndexOf(router.layout, j)].block.id];
    for (const c of router.classes) sum[c.id] += push[k][c.id];
  });
  return out;
}

/** The `count` features that pushed hardest toward `classId`, with a readable name each. */
export function strongestFeatures(
  router: Explainable,
  input: RouterInput,
  classId: string,
  count: number,
  tokenText: (id: number) => string,
): Feature[] {
  const x = router.vector(input);
  const push = contributions(router, x);
  const sizes: BlockSizes = router.layout.sizes;
  const namers = router.layout.blocks.map(({ block }) => block.namer(input, sizes, tokenText));
  return x.indices
    .map((j, k): Feature => {
      const b = blockIndexOf(router.layout, j);
      const { block, offset } = router.layout.blocks[b];
      const id = j - offset;
      const text = namers[b](id);
      return {
        kind: block.featureKind,
        id,
        text,
        verbatim: block.verbatim,
        push: push[k][classId] ?? 0,
      };
    })
    .sort((a, b) => b.push - a.push)
    .slice(0, count);
}

/** A router that predicts as well as explains. */
export interface RoutingRouter extends Explainable {
  readonly features: FeatureSet;
  readonly blocks: readonly BlockId[];
  predict(input: RouterInput): {
    label: string;
    top: string;
    probs: Record<string, number>;
    noneThreshold: number;
  };
}

/** A routed text and why: the decision, the evidence by block and by token, the strongest features. */
export interface RouteExplanation {
  /** The class that takes the text (a class id, or "none": the common expert takes it). */
  label: string;
  /** The most probable class, before the "none of these" threshold. */
  top: string;
  probs: Record<string, number>;
  /** The router file's classes, in order. */
  classes: { id: string; name: string; expert: string | null }[];
  features: FeatureSet;
  /** The feature blocks the router reads. */
  blocks: BlockId[];
  noneThreshold: number;
  /** How much each block pushed toward every class (zeros for blocks it does not read). */
  byKind: Record<BlockId, Push>;
  /** The five features that pushed hardest toward `top`. */
  strongest: Feature[];
  /**
   * Each token's text and how much it pushed toward each class (relative to the mean): its token
   * feature and the character n-grams starting inside it.
   */
  tokens: { position: number; text: string; push: Push }[];
  /**
   * Left out of what the router read: emoji (they say nothing of a language) and characters that
   * code quotes or comments in another script.
   */
  leftOut: Pick<Reading, "emoji" | "quoted">;
  /** Token count of the whole text, and how many of them `tokens` covers. */
  totalTokens: number;
  shownTokens: number;
}

/** Routing explains at most this many tokens (the prediction still reads the whole text). */
export const MAX_EVIDENCE_TOKENS = 1500;

/** The router's decision for `text`, and why. */
export function explainRoute(
  router: RoutingRouter,
  tokenizer: BpeTokenizer,
  text: string,
): RouteExplanation {
  const reading = routerReading(text);
  const ids = tokenizer.encode(reading.read);
  const input = { ids, text: reading.read };
  const prediction = router.predict(input);
  const shown = ids.slice(0, MAX_EVIDENCE_TOKENS);
  const evidence = tokenEvidence(router, { ids: shown });
  const chars = charEvidence(router, input);
  // Evidence of the tokens that together form one piece is summed, with the n-grams that start
  // inside the piece's characters.
  let offset = 0;
  const tokens = tokenizer.pieces(shown).map(({ start, end, text: piece }) => {
    const push = { ...evidence[start].push };
    for (let i = start + 1; i < end; i++)
      for (const c of router.classes) push[c.id] += evidence[i].push[c.id];
    for (const at of chars.slice(offset, offset + piece.length))
      for (const c of router.classes) push[c.id] += at.push[c.id];
    offset += piece.length;
    return { position: start, text: piece, push };
  });
  // A byte-level token can hold part of a character, which decodes to U+FFFD alone.
  const tokenText = (id: number) => {
    const decoded = tokenizer.decode([id]);
    return decoded.includes("\uFFFD") ? "(part of a character)" : decoded;
  };
  return {
    ...prediction,
    classes: router.classes.map(({ id, name, expert }) => ({ id, name, expert })),
    features: router.features,
    blocks: [...router.blocks],
    byKind: evidenceByKind(router, input),
    strongest: strongestFeatures(router, input, prediction.top, 5, tokenText),
    tokens,
    leftOut: { emoji: reading.emoji, quoted: reading.quoted },
    totalTokens: ids.length,
    shownTokens: shown.length,
  };
}
