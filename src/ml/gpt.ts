/**
 * A small GPT: pre-LayerNorm decoder with learned positions, GELU MLP and an optional tied head.
 *
 *   logits = head(lnf(block_L(... block_1(wte[ids] + wpe[pos]))))
 *   block(x) = x + attn(ln1(x)); x + mlp(ln2(x))
 *
 * Parameters are plain tf.Variables in a name → variable map (names like "h0.attn.wqkv").
 */
import * as tf from "@tensorflow/tfjs";
import { batchMatmul, gelu, layerNorm, linear } from "./ops";
import { ProblemError } from "./problems";

export interface GPTConfig {
  vocabSize: number;
  contextLength: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** Use the token embedding (transposed) as the output head. */
  tiedHead: boolean;
}

export function validateConfig(config: GPTConfig): GPTConfig {
  const positive = ["vocabSize", "contextLength", "dModel", "nLayers", "nHeads"] as const;
  for (const key of positive) {
    const v = config[key];
    if (!Number.isInteger(v) || v <= 0)
      throw new ProblemError(
        "configNumber",
        { key, value: String(v) },
        `GPT config: ${key} must be a positive integer, got ${v}`,
      );
  }
  if (config.dModel % config.nHeads !== 0) {
    throw new ProblemError(
      "configHeads",
      { width: config.dModel, heads: config.nHeads },
      `GPT config: dModel (${config.dModel}) must be divisible by nHeads (${config.nHeads})`,
    );
  }
  if (typeof config.tiedHead !== "boolean")
    throw new Error("GPT config: tiedHead must be true or false");
  return config;
}

/**
 * Keys and values of every layer for the positions decoded so far. `forward(ids, { cache })` reads
 * it and grows it in place; `disposeCache` frees it.
 */
export interface KVCache {
  keys: tf.Tensor4D[]; // per layer [B, H, length, headDim]
  values: tf.Tensor4D[];
  length: number;
}

export function createCache(): KVCache {
  return { keys: [], values: [], length: 0 };
}

/** Frees the cache's tensors and empties it (it can be used again). */
export function disposeCache(cache: KVCache | undefined): void {
  if (!cache) return;
  tf.dispose([...cache.keys, ...cache.values]);
  cache.keys = [];
  cache.values = [];
  cache.length = 0;
}

/** Parameter shapes, in a fixed order (the order weights are saved in). */
export function parameterShapes(config: GPTConfig): [string, number[]][] {
  const { vocabSize: V, contextLength: T, dModel: D, nLayers } = config;
  const shapes: [string, number[]][] = [
    ["wte", [V, D]],
    ["wpe", [T, D]],
  ];
  for (let l = 0; l < nLayers; l++) {
    const p = `h${l}`;
    shapes.push(
      [`${p}.ln1.g`, [D]],
      [`${p}.ln1.b`, [D]],
      [`${p}.attn.wqkv`, [D, 3 * D]],
      [`${p}.attn.bqkv`, [3 * D]],
      [`${p}.attn.wo`, [D, D]],
      [`${p}.attn.bo`, [D]],
      [`${p}.ln2.g`, [D]],
      [`${p}.ln2.b`, [D]],
      [`${p}.mlp.w1`, [D, 4 * D]],
      [`${p}.mlp.b1`, [4 * D]],
      [`${p}.mlp.w2`, [4 * D, D]],
      [`${p}.mlp.b2`, [D]],
    );
  }
  shapes.push(["lnf.g", [D]], ["lnf.b", [D]]);
  if (!config.tiedHead) shapes.push(["head", [D, V]]);
  return shapes;
}

/** GPT-2 style initial value of one parameter. */
export function initialValue(
  name: string,
  shape: number[],
  config: GPTConfig,
  seed: number,
): tf.Tensor {
  if (name.endsWith(".g")) return tf.ones(shape);
  if (/\.(b|bqkv|bo|b1|b2)$/.test(name)) return tf.zeros(shape);
  // Residual projections are scaled down so the residual stream's variance stays ~1 with depth.
  const std = /\.(wo|w2)$/.test(name) ? 0.02 / Math.sqrt(2 * config.nLayers) : 0.02;
  return tf.randomNormal(shape, 0, std, "float32", seed);
}

type Matrix = tf.Variable<tf.Rank.R2>;
type Vector = tf.Variable<tf.Rank.R1>;

interface NormParams {
  g: Vector; // [D]
  b: Vector; // [D]
}

interface BlockParams {
  ln1: NormParams;
  attn: { wqkv: Matrix; bqkv: Vector; wo: Matrix; bo: Vector }; // [D, 3D] [3D] [D, D] [D]
  ln2: NormParams;
  mlp: { w1: Matrix; b1: Vector; w2: Matrix; b2: Vector }; // [D, 4D] [4D] [4D, D] [D]
}

/** Every parameter, typed: the forward pass reads these, never names. */
interface GPTParams {
  wte: Matrix; // [V, D]
  wpe: Matrix; // [T, D]
  blocks: BlockParams[];
  lnf: NormParams;
  head: Matrix | null; // [D, V], or null when the head is tied to wte
}

/** The typed parameters of a complete name → variable map (as `parameterShapes` names them). */
function typedParams(config: GPTConfig, named: ReadonlyMap<string, tf.Variable>): GPTParams {
  const get = <R extends tf.Rank>(name: string) => {
    const v = named.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v as tf.Variable<R>;
  };
  /** The parameters `prefix.name` for each name, as one object. */
  const group = <K extends string>(prefix: string, names: readonly K[]) =>
    Object.fromEntries(names.map((n) => [n, get(`${prefix}.${n}`)])) as Record<K, tf.Variable>;
  const norm = (prefix: string) => group(prefix, ["g", "b"]) as unknown as NormParams;
  const blocks = Array.from(
    { length: config.nLayers },
    (_, l): BlockParams => ({
      ln1: norm(`h${l}.ln1`),
      attn: group(`h${l}.attn`, ["wqkv", "bqkv", "wo", "bo"]) as unknown as BlockParams["attn"],
      ln2: norm(`h${l}.ln2`),
      mlp: group(`h${l}.mlp`, ["w1", "b1", "w2", "b2"]) as unknown as BlockParams["mlp"],
    }),
  );
  return {
    wte: get("wte"),
    wpe: get("wpe"),
    blocks,
    lnf: norm("lnf"),
    head: config.tiedHead ? null : get("head"),
  };
}

/** What training and evaluation need of a model: a GPT, or several experts combined. */
export interface LanguageModel {
  readonly config: GPTConfig;
  /** Trainable variables, each once, in a fixed order. */
  variables(): tf.Variable[];
  /** Logits for every position: ids [B, T] → [B, T, V]. */
  forward(ids: tf.Tensor2D): tf.Tensor3D;
}

export class GPT implements LanguageModel {
  readonly config: GPTConfig;
  /** Parameters by name, in `parameterShapes` order: for saving, loading and sharing only. */
  readonly params: Map<string, tf.Variable>;
  private readonly w: GPTParams;
  /** Parameters owned by another model (e.g. a shared embedding): never disposed here. */
  private readonly borrowed: ReadonlySet<string>;

  private constructor(
    config: GPTConfig,
    params: Map<string, tf.Variable>,
    borrowed: ReadonlySet<string> = new Set(),
  ) {
    this.config = config;
    this.params = params;
    this.w = typedParams(config, params);
    this.borrowed = borrowed;
  }

  /**
   * A freshly initialised model; the same seed gives the same weights on every backend.
   * `shared` supplies existing variables for some parameters (e.g. {"wte": embedding}), which the
   * model then uses, trains and leaves to their owner to dispose.
   */
  static create(
    config: GPTConfig,
    seed = 0,
    shared: ReadonlyMap<string, tf.Variable> = new Map(),
  ): GPT {
    validateConfig(config);
    const params = new Map<string, tf.Variable>();
    parameterShapes(config).forEach(([name, shape], i) => {
      const given = shared.get(name);
      if (given) {
        if (!tf.util.arraysEqual(given.shape, shape))
          throw new Error(`shared ${name} has shape [${given.shape}], expected [${shape}]`);
        params.set(name, given);
        return;
      }
      const init = initialValue(name, shape, config, seed * 1000 + i);
      params.set(name, tf.variable(init, true));
      init.dispose();
    });
    return new GPT(config, params, new Set([...shared.keys()].filter((n) => params.has(n))));
  }

  /** A model holding copies of `tensors` (e.g. loaded weights); every parameter must be given. */
  static fromTensors(config: GPTConfig, tensors: Record<string, tf.Tensor>): GPT {
    validateConfig(config);
    // Every parameter is checked before any variable is made, so a refused file leaks nothing.
    for (const [name, shape] of parameterShapes(config)) {
      const t = tensors[name];
      if (!t)
        throw new ProblemError("tensorMissing", { name }, `weights: parameter ${name} is missing`);
      if (!tf.util.arraysEqual(t.shape, shape)) {
        throw new ProblemError(
          "tensorShape",
          { name, shape: `[${t.shape}]`, expected: `[${shape}]` },
          `weights: parameter ${name} has shape [${t.shape}], expected [${shape}]`,
        );
      }
    }
    const params = new Map<string, tf.Variable>();
    for (const [name] of parameterShapes(config))
      params.set(name, tf.variable(tensors[name], true));
    return new GPT(config, params);
  }

  variables(): tf.Variable[] {
    return [...this.params.values()];
  }

  /** Total parameters, and those outside the token/position embeddings and the output head. */
  parameterCount(): { total: number; nonEmbedding: number } {
    let total = 0;
    let embedding = 0;
    for (const [name, v] of this.params) {
      total += v.size;
      if (name === "wte" || name === "wpe" || name === "head") embedding += v.size;
    }
    return { total, nonEmbedding: total - embedding };
  }

  /**
   * Logits: ids [B, n] → [B, n, V]. With a cache, `ids` are the positions after the cached ones,
   * and the cache grows by them.
   */
  forward(ids: tf.Tensor2D, options: { cache?: KVCache } = {}): tf.Tensor3D {
    return tf.tidy(() => this.project(this.hiddenStates(ids, options)));
  }

  /** Final hidden states (after the last LayerNorm): ids [B, n] → [B, n, D]; a cache as in `forward`. */
  hiddenStates(ids: tf.Tensor2D, { cache }: { cache?: KVCache } = {}): tf.Tensor3D {
    const { contextLength, dModel: D } = this.config;
    const [B, n] = ids.shape;
    const past = cache?.length ?? 0;
    if (past + n > contextLength)
      throw new Error(`sequence of ${past + n} tokens exceeds the context of ${contextLength}`);
    const keys: tf.Tensor4D[] = [];
    const values: tf.Tensor4D[] = [];
    const hidden = tf.tidy(() => {
      const tokens = tf.gather(this.w.wte, ids.reshape([-1])).reshape([B, n, D]);
      const positions = this.w.wpe.slice([past, 0], [n, D]);
      let x: tf.Tensor = tokens.add(positions); // [B, n, D]
      const mask = causalMask(n, past); // [n, past + n]
      this.w.blocks.forEach((block, l) => {
        const attn = this.attention(
          block,
          norm(x, block.ln1),
          mask,
          cache?.keys[l],
          cache?.values[l],
        );
        if (cache) {
          keys.push(tf.keep(attn.k));
          values.push(tf.keep(attn.v));
        }
        x = x.add(attn.y);
        x = x.add(this.mlp(block, norm(x, block.ln2)));
      });
      return norm(x, this.w.lnf) as tf.Tensor3D; // [B, n, D]
    });
    if (cache) {
      tf.dispose([...cache.keys, ...cache.values]);
      cache.keys = keys;
      cache.values = values;
      cache.length = past + n;
    }
    return hidden;
  }

  /** The output head: hidden [B, T, D] → logits [B, T, V]. */
  project(hidden: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const head = this.w.head ?? tf.transpose(this.w.wte);
      return linear(hidden, head) as tf.Tensor3D;
    });
  }

  dispose(): void {
    tf.dispose([...this.params].filter(([name]) => !this.borrowed.has(name)).map(([, v]) => v));
    this.params.clear();
  }

  /** Causal self-attention; x [B, n, D], optional cached keys/values [B, H, past, hd]. */
  private attention(
    block: BlockParams,
    x: tf.Tensor,
    mask: tf.Tensor,
    pastK?: tf.Tensor4D,
    pastV?: tf.Tensor4D,
  ) {
    const { dModel: D, nHeads: H } = this.config;
    const [B, n] = x.shape;
    const hd = D / H;
    const { wqkv, bqkv, wo, bo } = block.attn;
    const qkv = linear(x, wqkv, bqkv); // [B, n, 3D]
    const heads = (t: tf.Tensor) => t.reshape([B, n, H, hd]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
    const [q, kNew, vNew] = tf.split(qkv, 3, 2).map(heads); // each [B, H, n, hd]
    const k = pastK ? (tf.concat([pastK, kNew], 2) as tf.Tensor4D) : kNew; // [B, H, past+n, hd]
    const v = pastV ? (tf.concat([pastV, vNew], 2) as tf.Tensor4D) : vNew;
    const scores = batchMatmul(q, k.transpose([0, 1, 3, 2]))
      .mul(1 / Math.sqrt(hd))
      .add(mask);
    const weights = tf.softmax(scores); // [B, H, n, past+n]
    const mixed = batchMatmul(weights, v).transpose([0, 2, 1, 3]).reshape([B, n, D]);
    return { y: linear(mixed, wo, bo), k, v };
  }

  private mlp(block: BlockParams, x: tf.Tensor): tf.Tensor {
    const { w1, b1, w2, b2 } = block.mlp;
    return linear(gelu(linear(x, w1, b1)), w2, b2);
  }
}

function norm(x: tf.Tensor, { g, b }: NormParams): tf.Tensor {
  return layerNorm(x, g, b);
}

/** Additive mask [n, past + n]: 0 where query i may see key j (j ≤ past + i), −1e9 elsewhere. */
function causalMask(n: number, past: number): tf.Tensor2D {
  const total = past + n;
  const data = new Float32Array(n * total);
  for (let i = 0; i < n; i++) {
    for (let j = past + i + 1; j < total; j++) data[i * total + j] = -1e9;
  }
  return tf.tensor2d(data, [n, total]);
}
