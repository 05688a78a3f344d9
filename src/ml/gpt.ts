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
      throw new Error(`GPT config: ${key} must be a positive integer, got ${v}`);
  }
  if (config.dModel % config.nHeads !== 0) {
    throw new Error(
      `GPT config: dModel (${config.dModel}) must be divisible by nHeads (${config.nHeads})`,
    );
  }
  if (typeof config.tiedHead !== "boolean")
    throw new Error("GPT config: tiedHead must be true or false");
  return config;
}

/** Keys and values of every layer for the positions decoded so far. */
export interface KVCache {
  keys: tf.Tensor4D[]; // per layer [B, H, length, headDim]
  values: tf.Tensor4D[];
  length: number;
}

export function disposeCache(cache: KVCache | undefined): void {
  if (!cache) return;
  tf.dispose([...cache.keys, ...cache.values]);
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
  readonly params: Map<string, tf.Variable>;
  /** Parameters owned by another model (e.g. a shared embedding): never disposed here. */
  private readonly borrowed: ReadonlySet<string>;

  private constructor(
    config: GPTConfig,
    params: Map<string, tf.Variable>,
    borrowed: ReadonlySet<string> = new Set(),
  ) {
    this.config = config;
    this.params = params;
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
    const params = new Map<string, tf.Variable>();
    for (const [name, shape] of parameterShapes(config)) {
      const t = tensors[name];
      if (!t) throw new Error(`weights: parameter ${name} is missing`);
      if (!tf.util.arraysEqual(t.shape, shape)) {
        throw new Error(`weights: parameter ${name} has shape [${t.shape}], expected [${shape}]`);
      }
      params.set(name, tf.variable(t, true));
    }
    return new GPT(config, params);
  }

  p<R extends tf.Rank = tf.Rank>(name: string): tf.Tensor<R> {
    const v = this.params.get(name);
    if (!v) throw new Error(`no parameter ${name}`);
    return v as unknown as tf.Tensor<R>;
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

  /** Logits for every position: ids [B, T] → [B, T, V]. */
  forward(ids: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => this.project(this.hidden(ids, undefined).hidden));
  }

  /** Final hidden states (after the last LayerNorm): ids [B, T] → [B, T, D]. */
  hiddenStates(ids: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => this.hidden(ids, undefined).hidden);
  }

  /** The output head: hidden [B, T, D] → logits [B, T, V]. */
  project(hidden: tf.Tensor): tf.Tensor3D {
    const head = this.config.tiedHead
      ? tf.transpose(this.p<tf.Rank.R2>("wte"))
      : this.p<tf.Rank.R2>("head");
    return linear(hidden, head as tf.Tensor2D) as tf.Tensor3D;
  }

  /**
   * Logits for the new positions `ids` [B, n] given the cache of earlier positions; returns the
   * grown cache (the caller disposes the old one with `disposeCache`).
   */
  forwardCached(ids: tf.Tensor2D, cache?: KVCache): { logits: tf.Tensor3D; cache: KVCache } {
    const past = cache?.length ?? 0;
    if (past + ids.shape[1] > this.config.contextLength) {
      throw new Error(
        `sequence of ${past + ids.shape[1]} tokens exceeds the context of ${this.config.contextLength}`,
      );
    }
    const result = tf.tidy(() => {
      const { hidden, keys, values } = this.hidden(ids, cache);
      return { logits: this.project(hidden), keys, values } as tf.TensorContainerObject;
    }) as unknown as { logits: tf.Tensor3D; keys: tf.Tensor4D[]; values: tf.Tensor4D[] };
    return {
      logits: result.logits,
      cache: { keys: result.keys, values: result.values, length: past + ids.shape[1] },
    };
  }

  dispose(): void {
    tf.dispose([...this.params].filter(([name]) => !this.borrowed.has(name)).map(([, v]) => v));
    this.params.clear();
  }

  private hidden(ids: tf.Tensor2D, cache: KVCache | undefined) {
    const { contextLength, dModel: D, nLayers } = this.config;
    const [B, n] = ids.shape;
    const past = cache?.length ?? 0;
    if (past + n > contextLength)
      throw new Error(`sequence of ${past + n} tokens exceeds the context of ${contextLength}`);

    const tokens = tf.gather(this.p<tf.Rank.R2>("wte"), ids.reshape([-1])).reshape([B, n, D]);
    const positions = this.p<tf.Rank.R2>("wpe").slice([past, 0], [n, D]);
    let x: tf.Tensor = tokens.add(positions); // [B, n, D]

    const mask = causalMask(n, past); // [n, past + n]
    const keys: tf.Tensor4D[] = [];
    const values: tf.Tensor4D[] = [];
    for (let l = 0; l < nLayers; l++) {
      const attn = this.attention(
        l,
        this.norm(x, `h${l}.ln1`),
        mask,
        cache?.keys[l],
        cache?.values[l],
      );
      keys.push(attn.k);
      values.push(attn.v);
      x = x.add(attn.y);
      x = x.add(this.mlp(l, this.norm(x, `h${l}.ln2`)));
    }
    const hidden = this.norm(x, "lnf") as tf.Tensor3D; // [B, n, D]
    return { hidden, keys, values };
  }

  private norm(x: tf.Tensor, prefix: string): tf.Tensor {
    return layerNorm(x, this.p(`${prefix}.g`), this.p(`${prefix}.b`));
  }

  /** Causal self-attention of layer l; x [B, n, D], optional cached keys/values [B, H, past, hd]. */
  private attention(
    l: number,
    x: tf.Tensor,
    mask: tf.Tensor,
    pastK?: tf.Tensor4D,
    pastV?: tf.Tensor4D,
  ) {
    const { dModel: D, nHeads: H } = this.config;
    const [B, n] = x.shape;
    const hd = D / H;
    const qkv = linear(x, this.p(`h${l}.attn.wqkv`), this.p(`h${l}.attn.bqkv`)); // [B, n, 3D]
    const heads = (t: tf.Tensor) => t.reshape([B, n, H, hd]).transpose([0, 2, 1, 3]) as tf.Tensor4D;
    const [q, kNew, vNew] = tf.split(qkv, 3, 2).map(heads); // each [B, H, n, hd]
    const k = pastK ? (tf.concat([pastK, kNew], 2) as tf.Tensor4D) : kNew; // [B, H, past+n, hd]
    const v = pastV ? (tf.concat([pastV, vNew], 2) as tf.Tensor4D) : vNew;
    const scores = batchMatmul(q, k.transpose([0, 1, 3, 2]))
      .mul(1 / Math.sqrt(hd))
      .add(mask);
    const weights = tf.softmax(scores); // [B, H, n, past+n]
    const mixed = batchMatmul(weights, v).transpose([0, 2, 1, 3]).reshape([B, n, D]);
    const y = linear(mixed, this.p(`h${l}.attn.wo`), this.p(`h${l}.attn.bo`));
    return { y, k, v };
  }

  private mlp(l: number, x: tf.Tensor): tf.Tensor {
    const hidden = gelu(linear(x, this.p(`h${l}.mlp.w1`), this.p(`h${l}.mlp.b1`)));
    return linear(hidden, this.p(`h${l}.mlp.w2`), this.p(`h${l}.mlp.b2`));
  }
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
