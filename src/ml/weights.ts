/**
 * GPT weights in the TensorFlow.js weights format: a `model.json` whose `weightsManifest` lists
 * binary shards (float32, little-endian, in `parameterShapes` order), plus our `config`.
 */
import * as tf from "@tensorflow/tfjs";
import Ajv from "ajv";
import { GPT, type GPTConfig, parameterShapes } from "./gpt";
import { type ReadFile, sha256Hex } from "./manifest";
import { ProblemError, parseJson } from "./problems";

export interface GptModelJson {
  format: "mome-gpt";
  version: 1;
  generatedBy: string;
  config: GPTConfig;
  weightsManifest: tf.io.WeightsManifestConfig;
  /** sha256 of each shard, written at save and checked on load (older files have none). */
  sha256?: Record<string, string>;
}

const positiveInteger = { type: "integer", minimum: 1 } as const;

/** What a loader accepts as model.json: anything else is refused with the schema's reasons. */
export const GPT_MODEL_JSON_SCHEMA = {
  type: "object",
  required: ["format", "version", "config", "weightsManifest"],
  properties: {
    format: { const: "mome-gpt" },
    version: { const: 1 },
    generatedBy: { type: "string" },
    config: {
      type: "object",
      required: ["vocabSize", "contextLength", "dModel", "nLayers", "nHeads", "tiedHead"],
      properties: {
        vocabSize: positiveInteger,
        contextLength: positiveInteger,
        dModel: positiveInteger,
        nLayers: positiveInteger,
        nHeads: positiveInteger,
        tiedHead: { type: "boolean" },
      },
    },
    weightsManifest: {
      type: "array",
      minItems: 1,
      maxItems: 1,
      items: {
        type: "object",
        required: ["paths", "weights"],
        properties: {
          // Shard files beside model.json: no folders, no "..".
          paths: {
            type: "array",
            minItems: 1,
            items: { type: "string", pattern: "^[A-Za-z0-9_-][A-Za-z0-9._-]*$" },
          },
          weights: {
            type: "array",
            items: {
              type: "object",
              required: ["name", "shape", "dtype"],
              properties: {
                name: { type: "string" },
                shape: { type: "array", items: { type: "integer", minimum: 0 } },
                dtype: { const: "float32" },
                quantization: {
                  type: "object",
                  required: ["dtype", "scale", "min"],
                  properties: {
                    dtype: { const: "uint8" },
                    scale: { type: "number" },
                    min: { type: "number" },
                  },
                },
              },
            },
          },
        },
      },
    },
    sha256: {
      type: "object",
      additionalProperties: { type: "string", pattern: "^[0-9a-f]{64}$" },
    },
  },
} as const;

const validModelJson = new Ajv({ allErrors: true }).compile(GPT_MODEL_JSON_SCHEMA);

const SHARD_BYTES = 4 * 1024 * 1024;

/**
 * How matrices are stored: float32, or uint8 with a per-tensor affine map (value = q·scale + min,
 * the tfjs converter's scheme, dequantized by tfjs on load). Vectors always stay float32.
 */
export type WeightStorage = "float32" | "uint8";

/** Per-tensor affine uint8 quantization, as tfjs dequantizes it. */
export function quantizeUint8(values: Float32Array): {
  bytes: Uint8Array;
  min: number;
  scale: number;
} {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? (max - min) / 255 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.round((values[i] - min) / scale);
  return { bytes, min, scale };
}

async function encode(
  model: GPT,
  storage: WeightStorage,
): Promise<{ bytes: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const chunks: Uint8Array[] = [];
  const specs: tf.io.WeightsManifestEntry[] = [];
  for (const [name, shape] of parameterShapes(model.config)) {
    const parameter = model.params.get(name);
    if (!parameter) throw new Error(`no parameter ${name}`);
    const values = (await parameter.data()) as Float32Array;
    if (storage === "uint8" && shape.length > 1) {
      const { bytes, min, scale } = quantizeUint8(values);
      chunks.push(bytes);
      specs.push({ name, shape, dtype: "float32", quantization: { dtype: "uint8", min, scale } });
    } else {
      chunks.push(
        new Uint8Array(
          values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
        ),
      );
      specs.push({ name, shape, dtype: "float32" });
    }
  }
  const bytes = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return { bytes, specs };
}

/** The files of a saved model, keyed by path relative to `prefix` + name. */
export async function serializeGpt(
  model: GPT,
  prefix = "",
  storage: WeightStorage = "float32",
): Promise<Map<string, Uint8Array>> {
  const { bytes, specs } = await encode(model, storage);
  const shardCount = Math.max(1, Math.ceil(bytes.length / SHARD_BYTES));
  const files = new Map<string, Uint8Array>();
  const paths: string[] = [];
  for (let s = 0; s < shardCount; s++) {
    const path = `group1-shard${s + 1}of${shardCount}.bin`;
    paths.push(path);
    files.set(prefix + path, bytes.slice(s * SHARD_BYTES, (s + 1) * SHARD_BYTES));
  }
  const sha256: Record<string, string> = {};
  for (const path of paths) sha256[path] = await sha256Hex(files.get(prefix + path) as Uint8Array);
  const modelJson: GptModelJson = {
    format: "mome-gpt",
    version: 1,
    generatedBy: "MoME Lab",
    config: model.config,
    weightsManifest: [{ paths, weights: specs }],
    sha256,
  };
  files.set(
    `${prefix}model.json`,
    new TextEncoder().encode(`${JSON.stringify(modelJson, null, 1)}\n`),
  );
  return files;
}

/** Loads `${prefix}model.json` and its shards through `read`. */
export async function loadGpt(read: ReadFile, prefix = ""): Promise<GPT> {
  const file = `${prefix}model.json`;
  const json = parseJson(file, await read(file));
  const { format, version } = (json ?? {}) as { format?: unknown; version?: unknown };
  if (format !== "mome-gpt" || version !== 1)
    throw new ProblemError("notOurModel", { file }, `${file} is not a mome-gpt v1 model`);
  if (!validModelJson(json)) {
    const problems = (validModelJson.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || "/"} ${e.message}`)
      .join("; ");
    throw new ProblemError("modelDamaged", { file }, `${file} is damaged: ${problems}`);
  }
  const modelJson = json as unknown as GptModelJson;
  const group = modelJson.weightsManifest[0];
  const shards = await Promise.all(group.paths.map((p) => read(prefix + p)));
  if (modelJson.sha256)
    for (const [i, path] of group.paths.entries())
      if ((await sha256Hex(shards[i])) !== modelJson.sha256[path])
        throw new ProblemError(
          "checksum",
          { file: prefix + path, list: "model.json" },
          `${prefix}${path} does not match its checksum in model.json: the file is damaged`,
        );
  const total = shards.reduce((s, b) => s + b.length, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const shard of shards) {
    joined.set(shard, offset);
    offset += shard.length;
  }
  const bytesPerValue = (w: tf.io.WeightsManifestEntry) => (w.quantization ? 1 : 4); // uint8 or float32 (the schema allows no other)
  const expected = group.weights.reduce(
    (s, w) => s + w.shape.reduce((a, b) => a * b, 1) * bytesPerValue(w),
    0,
  );
  if (total !== expected)
    throw new ProblemError(
      "shardBytes",
      { file, held: total, needed: expected },
      `${file}: shards hold ${total} bytes, the weights need ${expected}`,
    );
  const tensors = tf.io.decodeWeights(joined.buffer, group.weights);
  try {
    return GPT.fromTensors(modelJson.config, tensors);
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
