/**
 * Token streams and batches. A corpus is one Int32Array of token ids (documents joined with
 * <eos>); batches are random windows of seqLen + 1 tokens (inputs and next-token targets).
 */

import { BOS_ID, EOS_ID, PAD_ID } from "./bpe-trainer";
import { COMMON_EXPERT } from "./languages";
import { BROWSER_TRAIN } from "./presets";
import type { Rng } from "./random";
import type { Router } from "./router/model";
import type { BpeTokenizer } from "./tokenizer";

export interface Batch {
  batchSize: number;
  seqLen: number;
  inputs: Int32Array; // [B * T]
  targets: Int32Array; // [B * T]
  mask: Float32Array; // [B * T], 0 on padding
}

/** A line holding only this character separates documents in corpus files. */
export const DOCUMENT_SEPARATOR = "\f";

/**
 * Splits text into documents: at form-feed lines when the text has them (corpus files, whose
 * documents, e.g. Python code, contain blank lines), otherwise at blank lines (pasted prose).
 */
export function splitDocuments(text: string): string[] {
  const normalised = text.replace(/\r\n/g, "\n");
  const separator = /^\f$/m.test(normalised) ? /\n?^\f$\n?/gm : /\n\s*\n/g;
  return normalised
    .split(separator)
    .map((d) => d.replace(/^\n+|\s+$/g, ""))
    .filter((d) => d.trim().length > 0);
}

/**
 * A prompt laid out as the models saw text in training: <bos> doc₁ <eos> <bos> doc₂ … with the
 * last document left open. Prose corpora hold one paragraph per document, so for prose each
 * paragraph of the prompt is a document (a blank line inside a document is only ever Python's).
 */
export function encodePrompt(
  tokenizer: BpeTokenizer,
  text: string,
  paragraphsAreDocuments: boolean,
): number[] {
  const normalised = text.replace(/\r\n/g, "\n");
  const parts = paragraphsAreDocuments ? normalised.split(/\n\s*\n/) : [normalised];
  const ids: number[] = [];
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const doc = last ? part.replace(/^\n+/, "") : part.trim();
    if (!last && doc === "") continue;
    ids.push(BOS_ID, ...tokenizer.encode(doc));
    if (!last) ids.push(EOS_ID);
  }
  return ids;
}

/** <bos> doc₁ <eos> <bos> doc₂ <eos> … as one stream. */
export function encodeCorpus(tokenizer: BpeTokenizer, text: string): Int32Array {
  const ids: number[] = [];
  for (const doc of splitDocuments(text)) {
    ids.push(BOS_ID);
    for (const id of tokenizer.encode(doc)) ids.push(id);
    ids.push(EOS_ID);
  }
  return Int32Array.from(ids);
}

/** A window starting at `start`, padded (mask 0) where the stream ends. */
function fillRow(
  tokens: Int32Array,
  start: number,
  seqLen: number,
  batch: Batch,
  row: number,
): void {
  for (let t = 0; t < seqLen; t++) {
    const i = row * seqLen + t;
    const src = start + t;
    const hasTarget = src + 1 < tokens.length;
    batch.inputs[i] = src < tokens.length ? tokens[src] : PAD_ID;
    batch.targets[i] = hasTarget ? tokens[src + 1] : PAD_ID;
    batch.mask[i] = hasTarget ? 1 : 0;
  }
}

function emptyBatch(batchSize: number, seqLen: number): Batch {
  const n = batchSize * seqLen;
  return {
    batchSize,
    seqLen,
    inputs: new Int32Array(n),
    targets: new Int32Array(n),
    mask: new Float32Array(n),
  };
}

/** How many aligned windows (window w starts at token w·seqLen) a stream holds: at least 1. */
export function alignedWindowCount(tokens: Int32Array, seqLen: number): number {
  return Math.max(1, Math.floor((tokens.length - 1) / seqLen));
}

/** The aligned windows `windows` (window w starts at token w·seqLen), padded where the stream ends. */
export function alignedBatch(
  tokens: Int32Array,
  seqLen: number,
  windows: readonly number[],
): Batch {
  if (tokens.length < 2) throw new Error("corpus is too short: it needs at least 2 tokens");
  const batch = emptyBatch(windows.length, seqLen);
  for (const [row, w] of windows.entries()) fillRow(tokens, w * seqLen, seqLen, batch, row);
  return batch;
}

/** Random windows; a stream shorter than a window gives padded rows starting at 0. */
export function sampleBatch(
  tokens: Int32Array,
  batchSize: number,
  seqLen: number,
  rng: Rng,
): Batch {
  if (tokens.length < 2) throw new Error("corpus is too short: it needs at least 2 tokens");
  const batch = emptyBatch(batchSize, seqLen);
  const starts = tokens.length - seqLen; // number of full windows with a target at the end
  for (let row = 0; row < batchSize; row++) {
    fillRow(tokens, starts > 0 ? rng.int(starts) : 0, seqLen, batch, row);
  }
  return batch;
}

/**
 * Non-overlapping windows of the stream (for evaluation). With `maxBatches`, the windows used are
 * spread evenly over the whole stream, so a capped evaluation still sees every part of it.
 */
export function* sequentialBatches(
  tokens: Int32Array,
  batchSize: number,
  seqLen: number,
  maxBatches = Number.POSITIVE_INFINITY,
): Generator<Batch> {
  const windows = Math.max(1, Math.ceil((tokens.length - 1) / seqLen));
  const used = Math.min(windows, maxBatches * batchSize);
  for (let first = 0; first < used; first += batchSize) {
    const rows = Math.min(batchSize, used - first);
    const batch = emptyBatch(rows, seqLen);
    for (let row = 0; row < rows; row++) {
      const window = Math.floor(((first + row) * windows) / used);
      fillRow(tokens, window * seqLen, seqLen, batch, row);
    }
    yield batch;
  }
}

/**
 * A prompt laid out as the models saw text in training, and the router's label for it: prose
 * paragraphs become separate documents; code keeps its blank lines in one document. Texts of
 * none of the router's classes go to the common expert.
 */
export function layoutPrompt(
  tokenizer: BpeTokenizer,
  router: Router,
  prompt: string,
): { ids: number[]; label: string; expert: string } {
  const { label } = router.route(prompt, (s) => tokenizer.encode(s));
  const routed = router.classes.find((c) => c.id === label);
  const expert = routed?.expert ?? COMMON_EXPERT;
  return { ids: encodePrompt(tokenizer, prompt, routed?.layout !== "code"), label, expert };
}

/** The last tenth of a text's documents (BROWSER_TRAIN.validationFraction): held out to score models on. */
export function heldOutPart(text: string): string {
  const docs = splitDocuments(text);
  return docs
    .slice(Math.floor(docs.length * (1 - BROWSER_TRAIN.validationFraction)))
    .join(`\n${DOCUMENT_SEPARATOR}\n`);
}
