import { describe, expect, it } from "vitest";
import { truncateVocab } from "../scripts/stages/tokenizer";
import { BOS_ID, EOS_ID, PAD_ID, trainBpe } from "../src/ml/bpe-trainer";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { ALL_TEXT } from "./fixtures";

const json = trainBpe(ALL_TEXT, { vocabSize: 400 });
const tokenizer = new BpeTokenizer(JSON.parse(JSON.stringify(json)));

describe("byte-level BPE", () => {
  it("writes a Hugging Face tokenizer.json of the requested size with special tokens first", () => {
    expect(tokenizer.vocabSize).toBe(400);
    expect(json.model.merges).toHaveLength(400 - 3 - 256);
    expect([PAD_ID, BOS_ID, EOS_ID]).toEqual([0, 1, 2]);
    expect(json.added_tokens.map((t) => t.content)).toEqual(["<pad>", "<bos>", "<eos>"]);
    expect(json.model.vocab["<eos>"]).toBe(2);
    // Merges are learned from the data: frequent words become single tokens.
    expect(tokenizer.encode(" the").length).toBe(1);
    expect(tokenizer.encode("Ġthe").length).toBeGreaterThan(1);
  });

  it("compresses text well below one token per byte", () => {
    const text = ALL_TEXT.join("\n");
    expect(tokenizer.encode(text).length).toBeLessThan(new TextEncoder().encode(text).length * 0.6);
  });

  it("trains deterministically", () => {
    expect(trainBpe(ALL_TEXT, { vocabSize: 400 })).toEqual(json);
  });

  const hostile = [
    "",
    "plain ascii",
    "emoji 👩‍👩‍👧‍👦 🇫🇷 🤖 and skin tones 👍🏽",
    "combining: e\u0301 a\u0308 n\u0303, Z̸̢̛a̴l̷g̸o̵",
    "CRLF\r\nline\r\n\r\nend\r",
    "\ttabs\tand  spaces   \n\n   indentation",
    "NUL\u0000byte and \u0001\u001f control",
    "literal specials: <pad><bos><eos> <eos>text",
    "中文, 日本語, 한국어, العربية, עברית, हिन्दी",
    "\uFEFFbyte order mark, \u200Bzero width, \u00A0nbsp",
    "math 𝔸𝕓𝕔 ∑∫√ and astral 𐍈",
    "'s 're 've 'll 'd its",
    "def f(x):\n\treturn x ** 2  # comment\n",
  ];

  it.each(hostile)("round-trips %j exactly, with no special ids", (text) => {
    const ids = tokenizer.encode(text);
    expect(ids.every((id) => id > EOS_ID && id < tokenizer.vocabSize)).toBe(true);
    expect(tokenizer.decode(ids)).toBe(text);
  });

  it("encodes a long document (300 000 characters) without overflowing the stack", () => {
    const text = "def f(x):\n    return x * 2  # é\n".repeat(10_000);
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it("encodes a lone surrogate as U+FFFD (defined behaviour)", () => {
    expect(tokenizer.decode(tokenizer.encode("a\uD800b"))).toBe("a\uFFFDb");
    expect(tokenizer.decode(tokenizer.encode("\uDC00"))).toBe("\uFFFD");
  });

  it("drops special tokens on decode unless asked to keep them", () => {
    const ids = [BOS_ID, ...tokenizer.encode("hi"), EOS_ID];
    expect(tokenizer.decode(ids)).toBe("hi");
    expect(tokenizer.decode(ids, true)).toBe("<bos>hi<eos>");
  });

  it("shows tokens as readable pieces, joining tokens that split a character", () => {
    const ids = tokenizer.encode("the fox 🦊!");
    const pieces = tokenizer.pieces(ids);
    expect(pieces.map((p) => p.text).join("")).toBe("the fox 🦊!");
    expect(pieces.every((p) => !p.text.includes("\uFFFD"))).toBe(true);
    expect(pieces.some((p) => p.text.includes("🦊") && p.end - p.start > 1)).toBe(true); // 4 bytes, no merge
    expect(pieces.at(-1)?.end).toBe(ids.length);
  });

  it("rejects a vocabulary too small for the byte alphabet, and a broken tokenizer.json", () => {
    expect(() => trainBpe(ALL_TEXT, { vocabSize: 100 })).toThrow(/at least 259/);
    const broken = JSON.parse(JSON.stringify(json));
    broken.model.vocab["<eos>"] = 7;
    expect(() => new BpeTokenizer(broken)).toThrow(/<eos> must have id 2/);
  });
});

describe("decode input checks", () => {
  it("names an id outside the vocabulary", () => {
    expect(() => tokenizer.decode([5, 400])).toThrow(
      /token id 400 is outside the vocabulary \(0–399\)/,
    );
    expect(() => tokenizer.decode([1.5])).toThrow(/token id 1.5/);
  });
});

describe("vocabulary size by truncation (how the pipeline measures sizes)", () => {
  it("the first n tokens of a larger BPE equal a BPE trained to size n", () => {
    expect(truncateVocab(trainBpe(ALL_TEXT, { vocabSize: 420 }), 330)).toEqual(
      trainBpe(ALL_TEXT, { vocabSize: 330 }),
    );
  });
});

describe("word-by-word encoding", () => {
  it("equals the Hugging Face tokenizer on the whole text, for every corpus and odd input", async () => {
    const { readFile, readdir } = await import("node:fs/promises");
    const shipped = JSON.parse(await readFile("public/models/tokenizer.json", "utf8"));
    const files = [
      ...(await readdir("data/val")).map((f) => `data/val/${f}`),
      ...(await readdir("data/router/ood")).map((f) => `data/router/ood/${f}`),
      ...(await readdir("data/router/ood2")).map((f) => `data/router/ood2/${f}`),
      ...(await readdir("data/router/none")).map((f) => `data/router/none/${f}`),
    ];
    const odd = [
      "",
      "   leading and trailing   ",
      "tabs\tand\r\nnewlines\n\n\n  indented",
      "emoji 🧪🧠 and CJK 知识蒸馏, Cyrillic дистилляция",
      "lone surrogate \uD800 here",
      "it's they're I'll we've you'd",
      "a literal <eos> and <bos><pad>",
      "1234567890 3.14159 ---- ==== ....",
    ];
    for (const tokenizerJson of [shipped, JSON.parse(JSON.stringify(json))]) {
      const fresh = new BpeTokenizer(tokenizerJson);
      for (const text of odd) expect(fresh.encode(text)).toEqual(fresh.encodeWhole(text));
      for (const file of files) {
        const text = (await readFile(file, "utf8")).slice(0, 20_000);
        expect(fresh.encode(text)).toEqual(fresh.encodeWhole(text));
      }
    }
  });
});
