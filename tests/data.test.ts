import { describe, expect, it } from "vitest";
import { BOS_ID, EOS_ID } from "../src/ml/bpe-trainer";
import { encodePrompt, sampleBatch, sequentialBatches, splitDocuments } from "../src/ml/data";
import { createRng } from "../src/ml/random";
import type { BpeTokenizer } from "../src/ml/tokenizer";

const stream = Int32Array.from({ length: 41 }, (_, i) => 100 + i);

describe("batches", () => {
  it("cover the stream with non-overlapping windows and pad the tail", () => {
    const batches = [...sequentialBatches(stream, 3, 10)];
    expect(batches.map((b) => b.batchSize)).toEqual([3, 1]);
    expect(Array.from(batches[0].inputs.slice(10, 13))).toEqual([110, 111, 112]);
    expect(Array.from(batches[0].targets.slice(10, 13))).toEqual([111, 112, 113]);
    const last = batches[1];
    expect(Array.from(last.inputs.slice(0, 2))).toEqual([130, 131]);
    expect(Array.from(last.mask)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]); // 131..140 all have targets
  });

  it("spread a capped evaluation over the whole stream", () => {
    const long = Int32Array.from({ length: 1001 }, (_, i) => i);
    const [only] = [...sequentialBatches(long, 4, 10, 1)];
    expect(Array.from({ length: 4 }, (_, r) => only.inputs[r * 10])).toEqual([0, 250, 500, 750]);
  });

  it("mask padding when the stream is shorter than a window", () => {
    const b = sampleBatch(Int32Array.from([5, 6, 7]), 2, 4, createRng(1));
    expect(Array.from(b.mask)).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
    expect(Array.from(b.targets.slice(0, 2))).toEqual([6, 7]);
  });

  it("split corpus files at form-feed lines and pasted text at blank lines", () => {
    expect(splitDocuments("def f():\n\n    pass\n\f\nclass A:\n    x = 1\n")).toEqual([
      "def f():\n\n    pass",
      "class A:\n    x = 1",
    ]);
    expect(splitDocuments("One.\r\n\r\nTwo\nlines.\n\n\n")).toEqual(["One.", "Two\nlines."]);
  });
});

describe("encodePrompt", () => {
  // One id per character is enough to see where <bos> and <eos> go.
  const chars = { encode: (t: string) => [...t].map((c) => c.charCodeAt(0)) } as BpeTokenizer;
  const ids = (s: string) => [...s].map((c) => c.charCodeAt(0));

  it("makes each prose paragraph a document and leaves the last one open", () => {
    expect(encodePrompt(chars, "ab \n\n\n cd\n\nef ", true)).toEqual([
      BOS_ID,
      ...ids("ab"),
      EOS_ID,
      BOS_ID,
      ...ids("cd"),
      EOS_ID,
      BOS_ID,
      ...ids("ef "),
    ]);
    expect(encodePrompt(chars, "ab\n\n", true)).toEqual([BOS_ID, ...ids("ab"), EOS_ID, BOS_ID]);
    expect(encodePrompt(chars, "\n\nab", true)).toEqual([BOS_ID, ...ids("ab")]);
  });

  it("keeps code, blank lines included, as one document", () => {
    expect(encodePrompt(chars, "a\r\n\r\nb", false)).toEqual([BOS_ID, ...ids("a\n\nb")]);
  });
});
