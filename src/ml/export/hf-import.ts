/**
 * A GPT's parameters as plain float32 arrays (for export), and a GPT-2-format folder back as a GPT
 * (import): config.json, model.safetensors and a tokenizer.json with our vocabulary. What can't be
 * taken is refused with an error that names what differs.
 */
import * as tf from "@tensorflow/tfjs";
import { GPT } from "../gpt";
import { ProblemError, parseJson } from "../problems";
import { configFromGpt2, fromGpt2Tensors } from "./gpt2";
import { type NamedTensor, readSafetensors } from "./safetensors";

/** Every parameter of `model`, by our names, as float32 arrays (the values it computes with). */
export async function gptTensors(model: GPT): Promise<Map<string, NamedTensor>> {
  const out = new Map<string, NamedTensor>();
  for (const [name, v] of model.params)
    out.set(name, { shape: [...v.shape], data: (await v.data()) as Float32Array });
  return out;
}

/** The files of a Hugging Face folder that an import reads. */
export interface HuggingFaceFolder {
  "config.json": Uint8Array;
  "model.safetensors": Uint8Array;
  "tokenizer.json"?: Uint8Array;
}

/**
 * Refuses a tokenizer.json whose vocabulary differs from ours (another vocabulary gives other
 * token ids: the model would read garbage), naming the first difference.
 */
export function checkSameVocabulary(ours: unknown, theirs: unknown): void {
  const model = (t: unknown) =>
    ((t as { model?: { type?: string; vocab?: Record<string, number>; merges?: unknown[] } })
      ?.model ?? {}) as { type?: string; vocab?: Record<string, number>; merges?: unknown[] };
  const a = model(ours);
  const b = model(theirs);
  if (b.type !== a.type)
    throw new ProblemError(
      "tokenizerType",
      { theirs: String(b.type), ours: String(a.type) },
      `tokenizer.json is a ${b.type} tokenizer, not ${a.type}`,
    );
  const va = Object.entries(a.vocab ?? {});
  const vb = b.vocab ?? {};
  if (va.length !== Object.keys(vb).length)
    throw new ProblemError(
      "vocabularySize",
      { file: "tokenizer.json", theirs: Object.keys(vb).length, ours: va.length },
      `tokenizer.json has ${Object.keys(vb).length} tokens; MoME Lab's vocabulary has ${va.length}`,
    );
  for (const [token, id] of va)
    if (vb[token] !== id)
      throw new ProblemError(
        "tokenizerToken",
        { token: JSON.stringify(token), theirs: vb[token] ?? "—", ours: id },
        `tokenizer.json is another vocabulary: ${JSON.stringify(token)} is ${vb[token] ?? "missing"}, not ${id}`,
      );
  if (JSON.stringify(a.merges) !== JSON.stringify(b.merges))
    throw new ProblemError(
      "tokenizerMerges",
      {},
      "tokenizer.json has other BPE merges than MoME Lab's vocabulary",
    );
}

/**
 * A GPT from a GPT-2-format folder, checked against `ourTokenizer` (parsed tokenizer.json): its
 * architecture (config.json), its vocabulary (tokenizer.json, when the folder has one; its size
 * always) and every tensor.
 */
export function gptFromHuggingFace(folder: HuggingFaceFolder, ourTokenizer: unknown): GPT {
  const config = configFromGpt2(parseJson("config.json", folder["config.json"]));
  const ourSize = Object.keys(
    (ourTokenizer as { model?: { vocab?: object } })?.model?.vocab ?? {},
  ).length;
  if (config.vocabSize !== ourSize)
    throw new ProblemError(
      "vocabularySize",
      { file: "config.json", theirs: config.vocabSize, ours: ourSize },
      `config.json: vocab_size is ${config.vocabSize}; MoME Lab's vocabulary has ${ourSize} tokens`,
    );
  if (folder["tokenizer.json"])
    checkSameVocabulary(ourTokenizer, parseJson("tokenizer.json", folder["tokenizer.json"]));
  const { tensors } = readSafetensors(folder["model.safetensors"]);
  const params = fromGpt2Tensors(config, tensors);
  const made = Object.fromEntries(
    [...params].map(([name, t]) => [name, tf.tensor(t.data, t.shape, "float32")]),
  );
  try {
    return GPT.fromTensors(config, made);
  } finally {
    tf.dispose(Object.values(made));
  }
}
