/**
 * Hugging Face and ONNX export, proven with the real clients: the safetensors file reads back
 * through a strict reader, ONNX Runtime gives our logits (with and without the KV cache),
 * transformers.js loads every shipped model and continues prompts greedily as our generate does,
 * and a GPT-2 folder imports back to the same logits (or is refused, saying what differs).
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AutoModelForCausalLM, AutoTokenizer, env } from "@huggingface/transformers";
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { encodePrompt } from "../src/ml/data";
import { configFromGpt2 } from "../src/ml/export/gpt2";
import { describeModel, huggingFaceFiles } from "../src/ml/export/hf-folder";
import { gptFromHuggingFace, gptTensors } from "../src/ml/export/hf-import";
import { pastKey, pastValue, presentKey, presentValue } from "../src/ml/export/onnx-decoder";
import { readSafetensors, writeSafetensors } from "../src/ml/export/safetensors";
import { GPT, type GPTConfig } from "../src/ml/gpt";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { loadGpt } from "../src/ml/weights";
import { greedyIds, TINY, useBackend } from "./helpers";

const MODELS = join(import.meta.dirname, "..", "public", "models");
const SHIPPED = ["teacher", "expert-en", "expert-fr", "expert-de", "expert-py", "expert-common"];
const PROMPTS = {
  en: "To insert a table, open the",
  fr: "Pour insérer un tableau, ",
  py: "def insert_table(document, rows):",
};
const NEW_TOKENS = 32;

let tokenizerJson: Record<string, unknown>;

beforeAll(async () => {
  await useBackend("wasm");
  tokenizerJson = JSON.parse(await readFile(join(MODELS, "tokenizer.json"), "utf8"));
});

/** A tiny GPT with our vocabulary's size, tied or not. */
const tiny = (tiedHead: boolean, seed = 5): GPT =>
  GPT.create({ ...TINY, vocabSize: 4096, tiedHead }, seed);

async function exportFolder(model: GPT, name: string): Promise<Map<string, Uint8Array>> {
  return huggingFaceFiles({
    name,
    description: describeModel(name),
    config: model.config,
    params: await gptTensors(model),
    tokenizer: tokenizerJson,
  });
}

async function writeFolder(root: string, files: Map<string, Uint8Array>): Promise<void> {
  for (const [path, bytes] of files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), bytes);
  }
}

async function logitsOf(model: GPT, ids: number[]): Promise<Float32Array> {
  const logits = tf.tidy(() => model.forward(tf.tensor2d([ids], [1, ids.length], "int32")));
  const data = (await logits.data()) as Float32Array;
  logits.dispose();
  return data;
}

describe("safetensors", () => {
  const tensors = new Map([
    ["a", { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0, 1e-7, -0]) }],
    ["b", { shape: [1], data: Float32Array.from([42]) }],
  ]);

  it("round-trips tensors and metadata, the data aligned after the header", () => {
    const bytes = writeSafetensors(tensors, { format: "pt" });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + headerLength) % 8).toBe(0);
    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ format: "pt" });
    expect([...back.tensors.keys()]).toEqual(["a", "b"]);
    for (const [name, t] of tensors) expect(back.tensors.get(name)).toEqual(t);
  });

  it("is read strictly: a bad file is refused, saying why", () => {
    const good = writeSafetensors(tensors);
    const headerLength = Number(new DataView(good.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(good.subarray(8, 8 + headerLength)));
    const withHeader = (h: unknown, data = good.subarray(8 + headerLength)) => {
      const text = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(8 + text.length + data.length);
      new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
      out.set(text, 8);
      out.set(data, 8 + text.length);
      return out;
    };
    expect(() => readSafetensors(good.subarray(0, 4))).toThrow(/8-byte/);
    expect(() => readSafetensors(good.subarray(0, 20))).toThrow(/runs past the file/);
    expect(() =>
      readSafetensors(withHeader({ ...header, a: { ...header.a, dtype: "F16" } })),
    ).toThrow(/a is F16/);
    expect(() =>
      readSafetensors(withHeader({ ...header, b: { ...header.b, data_offsets: [20, 24] } })),
    ).toThrow(/b starts at byte 20, expected 24/);
    expect(() =>
      readSafetensors(withHeader({ ...header, a: { ...header.a, shape: [2, 2] } })),
    ).toThrow(/a holds 24 bytes for shape \[2,2\]/);
    const extra = new Uint8Array(good.length + 4);
    extra.set(good);
    expect(() => readSafetensors(extra)).toThrow(/4 bytes follow the last tensor/);
  });
});

describe("a GPT-2 folder", () => {
  it.each([true, false])(
    "exports and imports back to identical logits (tied head: %s), the safetensors file read strictly",
    async (tied) => {
      const model = tiny(tied);
      const files = await exportFolder(model, "student");
      const { tensors, metadata } = readSafetensors(files.get("model.safetensors") as Uint8Array);
      expect(metadata).toEqual({ format: "pt" });
      expect(tensors.has("lm_head.weight")).toBe(!tied);
      expect(tensors.get("transformer.h.1.attn.c_attn.weight")?.shape).toEqual([16, 48]);
      const config = JSON.parse(new TextDecoder().decode(files.get("config.json")));
      expect(config).toMatchObject({
        model_type: "gpt2",
        architectures: ["GPT2LMHeadModel"],
        activation_function: "gelu_new",
        tie_word_embeddings: tied,
      });
      const before = tf.memory().numTensors;
      const back = gptFromHuggingFace(
        {
          "config.json": files.get("config.json") as Uint8Array,
          "model.safetensors": files.get("model.safetensors") as Uint8Array,
          "tokenizer.json": files.get("tokenizer.json"),
        },
        tokenizerJson,
      );
      const ids = [1, 50, 900, 4000, 7, 7, 3];
      expect(await logitsOf(back, ids)).toEqual(await logitsOf(model, ids));
      back.dispose();
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    },
  );

  it("is refused when it can't be this GPT, naming what differs", async () => {
    const model = tiny(true);
    const files = await exportFolder(model, "student");
    model.dispose();
    const config = JSON.parse(new TextDecoder().decode(files.get("config.json")));
    const folder = (change: Record<string, unknown>, others: Record<string, Uint8Array> = {}) => ({
      "config.json": new TextEncoder().encode(JSON.stringify({ ...config, ...change })),
      "model.safetensors": files.get("model.safetensors") as Uint8Array,
      ...others,
    });
    expect(() => gptFromHuggingFace(folder({ model_type: "llama" }), tokenizerJson)).toThrow(
      /model_type is "llama"; only "gpt2"/,
    );
    expect(() =>
      gptFromHuggingFace(folder({ activation_function: "relu" }), tokenizerJson),
    ).toThrow(/activation_function is "relu"/);
    expect(() => gptFromHuggingFace(folder({ vocab_size: 50257 }), tokenizerJson)).toThrow(
      /vocab_size is 50257; MoME Lab's vocabulary has 4096/,
    );
    const otherVocabulary = structuredClone(tokenizerJson) as {
      model: { vocab: Record<string, number> };
    };
    const [first, second] = Object.keys(otherVocabulary.model.vocab).slice(10, 12);
    [otherVocabulary.model.vocab[first], otherVocabulary.model.vocab[second]] = [
      otherVocabulary.model.vocab[second],
      otherVocabulary.model.vocab[first],
    ];
    expect(() =>
      gptFromHuggingFace(
        folder({}, { "tokenizer.json": new TextEncoder().encode(JSON.stringify(otherVocabulary)) }),
        tokenizerJson,
      ),
    ).toThrow(/another vocabulary/);
    const { tensors } = readSafetensors(files.get("model.safetensors") as Uint8Array);
    tensors.delete("transformer.h.1.mlp.c_fc.bias");
    expect(() =>
      gptFromHuggingFace(
        { ...folder({}), "model.safetensors": writeSafetensors(tensors) },
        tokenizerJson,
      ),
    ).toThrow(/no tensor transformer.h.1.mlp.c_fc.bias/);
    expect(() => configFromGpt2({ ...config, n_inner: 7 })).toThrow(/n_inner is 7/);
  });
});

/** ONNX Runtime's logits for `tokens` after `past` cached positions (`cache`: the last run's presents). */
async function runOnnx(
  session: ort.InferenceSession,
  config: GPTConfig,
  tokens: number[],
  past: number,
  cache?: ort.InferenceSession.OnnxValueMapType,
) {
  const int64 = (values: number[], dims: number[]) =>
    new ort.Tensor("int64", BigInt64Array.from(values.map(BigInt)), dims);
  const hd = config.dModel / config.nHeads;
  const empty = () => new ort.Tensor("float32", new Float32Array(0), [1, config.nHeads, 0, hd]);
  const feeds: Record<string, ort.Tensor> = {
    input_ids: int64(tokens, [1, tokens.length]),
    attention_mask: int64(Array(past + tokens.length).fill(1), [1, past + tokens.length]),
    position_ids: int64(
      tokens.map((_, i) => past + i),
      [1, tokens.length],
    ),
  };
  for (let l = 0; l < config.nLayers; l++) {
    feeds[pastKey(l)] = (cache?.[presentKey(l)] as ort.Tensor) ?? empty();
    feeds[pastValue(l)] = (cache?.[presentValue(l)] as ort.Tensor) ?? empty();
  }
  return session.run(feeds);
}

describe("onnx/model.onnx", () => {
  it.each([
    ["a tiny untied student", () => tiny(false, 9)],
    ["the shipped teacher", async () => loadGpt(async (p) => readFile(join(MODELS, "teacher", p)))],
  ] as const)(
    "gives our logits within 1e-4 for %s, with and without the KV cache",
    async (_, make) => {
      const model = await make();
      const files = await exportFolder(model, "model");
      const session = await ort.InferenceSession.create(files.get("onnx/model.onnx") as Uint8Array);
      const ids = [1, 1485, 3691, 318, 3426, 47, 35, 516, 627];
      const ours = await logitsOf(model, ids);
      const V = model.config.vocabSize;
      const whole = await runOnnx(session, model.config, ids, 0);
      const gap = (a: ArrayLike<number>, b: ArrayLike<number>, from = 0) => {
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[from + i]));
        return worst;
      };
      expect(gap(whole.logits.data as Float32Array, ours)).toBeLessThan(1e-4);
      // Token by token after the prompt's first part, as transformers.js decodes.
      let outputs = await runOnnx(session, model.config, ids.slice(0, 4), 0);
      for (let t = 4; t < ids.length; t++) {
        outputs = await runOnnx(session, model.config, [ids[t]], t, outputs);
        expect(gap(outputs.logits.data as Float32Array, ours, t * V), `position ${t}`).toBeLessThan(
          1e-4,
        );
      }
      await session.release();
      model.dispose();
    },
  );
});

describe("transformers.js", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "mome-hf-"));
    env.allowRemoteModels = false;
    env.localModelPath = `${root}/`;
  });

  it.each(SHIPPED)(
    "loads the exported %s with local files only, and continues three prompts greedily as our generate does",
    async (name) => {
      const model = await loadGpt(async (p) => readFile(join(MODELS, name, p)));
      await writeFolder(join(root, name), await exportFolder(model, name));
      const ours = new BpeTokenizer(tokenizerJson as never);
      const theirTokenizer = await AutoTokenizer.from_pretrained(name);
      const theirs = await AutoModelForCausalLM.from_pretrained(name, { dtype: "fp32" });
      for (const [language, prompt] of Object.entries(PROMPTS)) {
        const promptIds = encodePrompt(ours, prompt, language !== "py");
        const inputs = theirTokenizer(prompt);
        expect(inputs.input_ids.tolist()[0].map(Number), `${name} ${language} prompt`).toEqual(
          promptIds,
        );
        const generated = (await theirs.generate({
          ...inputs,
          max_new_tokens: NEW_TOKENS,
          do_sample: false,
        })) as unknown as { tolist(): bigint[][] };
        const continuation = generated.tolist()[0].map(Number).slice(promptIds.length);
        expect(continuation, `${name} ${language}`).toEqual(
          await greedyIds(model, promptIds, NEW_TOKENS),
        );
      }
      await theirs.dispose();
      model.dispose();
    },
  );

  it("agrees with the CLI's generate --temperature 0", async () => {
    const name = "expert-fr";
    const student = await loadGpt(async (p) => readFile(join(MODELS, name, p)));
    await writeFolder(join(root, name), await exportFolder(student, name));
    student.dispose();
    const args = [
      "scripts/cli.ts",
      "--json",
      "generate",
      "--model",
      join(MODELS, name),
      "--prompt",
      PROMPTS.fr,
      "--temperature",
      "0",
      "--max-tokens",
      String(NEW_TOKENS),
    ];
    const cli = spawnSync(join("node_modules", ".bin", "tsx"), args, { encoding: "utf8" });
    expect(cli.status, cli.stderr).toBe(0);
    const { ids } = JSON.parse(cli.stdout) as { ids: number[] };
    const tokenizer = await AutoTokenizer.from_pretrained(name);
    const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: "fp32" });
    const inputs = tokenizer(PROMPTS.fr);
    const generated = (await model.generate({
      ...inputs,
      max_new_tokens: NEW_TOKENS,
      do_sample: false,
    })) as unknown as { tolist(): bigint[][] };
    expect(generated.tolist()[0].map(Number).slice(inputs.input_ids.dims[1])).toEqual(ids);
    await model.dispose();
  });
});

describe("the CLI", () => {
  const cli = (args: string[]) => {
    const r = spawnSync(join("node_modules", ".bin", "tsx"), ["scripts/cli.ts", ...args], {
      encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it("exports a model, then takes the folder in eval, generate and train --teacher, and refuses one it can't be", async () => {
    const root = await mkdtemp(join(tmpdir(), "mome-hf-cli-"));
    const hf = join(root, "expert-fr");
    let r = cli(["--json", "export", "--model", join(MODELS, "expert-fr"), "--out", hf]);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).files)).toEqual([
      "config.json",
      "generation_config.json",
      "model.safetensors",
      "tokenizer.json",
      "tokenizer_config.json",
      "onnx/model.onnx",
      "README.md",
    ]);
    expect(await readFile(join(hf, "README.md"), "utf8")).toMatch(/\| fr \| \d+\.\d \|/);
    const text = join("public", "corpora", "fr.txt");
    const evaluate = (model: string) =>
      cli(["--json", "eval", "--model", model, "--text", text, "--max-batches", "2"]);
    r = evaluate(hf);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).loss).toBe(
      JSON.parse(evaluate(join(MODELS, "expert-fr")).stdout).loss,
    );
    const greedy = (model: string) =>
      cli([
        "--json",
        "generate",
        "--model",
        model,
        "--prompt",
        "Le ",
        "--temperature",
        "0",
        "--max-tokens",
        "8",
      ]);
    r = greedy(hf);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ids).toEqual(
      JSON.parse(greedy(join(MODELS, "expert-fr")).stdout).ids,
    );
    r = cli([
      "--json",
      "train",
      ...[
        "--tokenizer",
        join(MODELS, "tokenizer.json"),
        "--train",
        text,
        "--out",
        join(root, "student"),
      ],
      ...["--teacher", hf, "--kd", "forward", "--context", "16", "--width", "16", "--layers", "1"],
      ...["--heads", "2", "--steps", "2", "--batch-size", "2", "--seq-len", "16"],
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/"kd":\d/);
    const config = JSON.parse(await readFile(join(hf, "config.json"), "utf8"));
    await writeFile(
      join(hf, "config.json"),
      JSON.stringify({ ...config, activation_function: "relu" }),
    );
    r = evaluate(hf);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /config\.json: activation_function is "relu"; this GPT uses "gelu_new"/,
    );
  });
});
