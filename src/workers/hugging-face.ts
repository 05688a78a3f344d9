/**
 * The model worker's side of Hugging Face export and import: a GPT zipped as a Hugging Face folder
 * (src/ml/export), and a model read from its files, whichever format they are in.
 */
import { zipSync } from "fflate";
import { validationPerplexity } from "../ml/artifact-metrics";
import { describeModel, huggingFaceFiles } from "../ml/export/hf-folder";
import { gptFromHuggingFace, gptTensors } from "../ml/export/hf-import";
import type { GPT } from "../ml/gpt";
import type { ModelManifest } from "../ml/manifest";
import { ProblemError } from "../ml/problems";
import type { BpeTokenizer } from "../ml/tokenizer";
import { loadGpt } from "../ml/weights";

/** `model` as a Hugging Face folder named `name`, zipped (the folder at the zip's root). */
async function huggingFaceZip(
  model: GPT,
  name: string,
  tokenizer: BpeTokenizer,
  validationPerplexity?: Record<string, number>,
): Promise<Uint8Array> {
  const files = huggingFaceFiles({
    name,
    description: describeModel(name),
    config: model.config,
    params: await gptTensors(model),
    tokenizer: tokenizer.json as unknown as Record<string, unknown>,
    validationPerplexity,
  });
  return zipSync(Object.fromEntries([...files].map(([path, bytes]) => [`${name}/${path}`, bytes])));
}

/** A shipped model zipped, its model card with the validation perplexity of the manifest. */
export function shippedZip(
  model: GPT,
  manifest: ModelManifest,
  name: string,
  tokenizer: BpeTokenizer,
): Promise<Uint8Array> {
  const ppl = validationPerplexity(manifest.artifacts.find((a) => a.name === name));
  return huggingFaceZip(model, name, tokenizer, ppl);
}

/** A model from its files (a student), zipped as `name`. */
export async function zipFromFiles(
  files: { name: string; bytes: Uint8Array }[],
  name: string,
  tokenizer: BpeTokenizer,
): Promise<Uint8Array> {
  const model = await gptFromFiles(files, tokenizer);
  try {
    return await huggingFaceZip(model, name, tokenizer);
  } finally {
    model.dispose();
  }
}

/**
 * A GPT from a model's files: TensorFlow.js (model.json and its shards) or a GPT-2-format
 * Hugging Face folder (config.json, model.safetensors), checked against `tokenizer` (which an
 * import needs).
 */
export async function gptFromFiles(
  files: { name: string; bytes: Uint8Array }[],
  tokenizer: BpeTokenizer | null,
): Promise<GPT> {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const config = byName.get("config.json");
  const safetensors = byName.get("model.safetensors");
  if (!byName.has("model.json") && config && safetensors) {
    if (!tokenizer) throw new Error("the tokenizer could not load");
    return gptFromHuggingFace(
      {
        "config.json": config,
        "model.safetensors": safetensors,
        "tokenizer.json": byName.get("tokenizer.json"),
      },
      tokenizer.json,
    );
  }
  return loadGpt(async (path) => {
    const bytes = byName.get(path);
    if (!bytes)
      throw new ProblemError("fileMissing", { file: path }, `the model's files have no ${path}`);
    return bytes;
  });
}
