/**
 * GPT weights in the TensorFlow.js weights format: a `model.json` whose `weightsManifest` lists
 * binary shards (float32, little-endian, in `parameterShapes` order), plus our `config`.
 */
import * as tf from "@tensorflow/tfjs";
import { GPT, type GPTConfig, parameterShapes } from "./gpt";
import type { ReadFile } from "./manifest";

export interface GptModelJson {
  format: "mome-gpt";
  version: 1;
  generatedBy: string;
  config: GPTConfig;
  weightsManifest: tf.io.WeightsManifestConfig;
}

const SHARD_BYTES = 4 * 1024 * 1024;

/** The files of a saved model, keyed by path relative to `prefix` + name. */
export async function serializeGpt(model: GPT, prefix = ""): Promise<Map<string, Uint8Array>> {
  const named = parameterShapes(model.config).map(([name]) => ({ name, tensor: model.p(name) }));
  const { data, specs } = await tf.io.encodeWeights(named);
  const bytes = new Uint8Array(data);
  const shardCount = Math.max(1, Math.ceil(bytes.length / SHARD_BYTES));
  const files = new Map<string, Uint8Array>();
  const paths: string[] = [];
  for (let s = 0; s < shardCount; s++) {
    const path = `group1-shard${s + 1}of${shardCount}.bin`;
    paths.push(path);
    files.set(prefix + path, bytes.slice(s * SHARD_BYTES, (s + 1) * SHARD_BYTES));
  }
  const modelJson: GptModelJson = {
    format: "mome-gpt",
    version: 1,
    generatedBy: "MoME Lab",
    config: model.config,
    weightsManifest: [{ paths, weights: specs }],
  };
  files.set(
    `${prefix}model.json`,
    new TextEncoder().encode(`${JSON.stringify(modelJson, null, 1)}\n`),
  );
  return files;
}

/** Loads `${prefix}model.json` and its shards through `read`. */
export async function loadGpt(read: ReadFile, prefix = ""): Promise<GPT> {
  const modelJson = JSON.parse(
    new TextDecoder().decode(await read(`${prefix}model.json`)),
  ) as GptModelJson;
  if (modelJson.format !== "mome-gpt" || modelJson.version !== 1) {
    throw new Error(`${prefix}model.json is not a mome-gpt v1 model`);
  }
  const group = modelJson.weightsManifest?.[0];
  if (!group || modelJson.weightsManifest.length !== 1)
    throw new Error(`${prefix}model.json: expected one weights group`);
  const shards = await Promise.all(group.paths.map((p) => read(prefix + p)));
  const total = shards.reduce((s, b) => s + b.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const shard of shards) {
    joined.set(shard, offset);
    offset += shard.length;
  }
  const expected = group.weights.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (total !== expected)
    throw new Error(
      `${prefix}model.json: shards hold ${total} bytes, the weights need ${expected}`,
    );
  const tensors = tf.io.decodeWeights(joined.buffer, group.weights);
  try {
    return GPT.fromTensors(modelJson.config, tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
