/**
 * Decoding one token at a time on the CPU without TensorFlow.js: the GPT's weights copied into
 * one arena of float32 memory and a KV cache per layer, so a token is one call per matrix
 * (kernels/linear.ts: WebAssembly SIMD) plus a few loops, instead of ~60 kernel dispatches (each
 * ~27 µs on TensorFlow.js's WASM backend, far above the arithmetic of a small model). The
 * TensorFlow.js forward (gpt.ts) stays the reference, and the path for training and for the GPU.
 *
 *   x = wte[id] + wpe[pos]                                          [D]
 *   per layer: x += Wo·attend(split(Wqkv·ln1(x) + b)) + bo;  x += W2·gelu(W1·ln2(x) + b1) + b2
 *   logits = head(lnf(x))                                           [V]
 *
 * Products sum in float32 (as the backends do); the loops here sum in double precision.
 */
import type { GPT, GPTConfig } from "./gpt";
import { Arena, type Slab } from "./kernels/arena";

interface Layer {
  ln1: [Float32Array, Float32Array];
  wqkv: Slab; // [D, 3D]
  bqkv: Slab;
  wo: Slab; // [D, D]
  bo: Slab;
  ln2: [Float32Array, Float32Array];
  w1: Slab; // [D, 4D]
  b1: Slab;
  w2: Slab; // [4D, D]
  b2: Slab;
  /** Keys and values of the positions so far: [H, contextLength, headDim]. */
  keys: Slab;
  values: Slab;
}

/** Activations for up to contextLength positions at once (a prompt fed whole). */
interface Activations {
  normed: Slab; // [T, D]
  qkv: Slab; // [T, 3D]
  mixed: Slab; // [T, D]
  projected: Slab; // [T, D]
  hidden: Slab; // [T, 4D]
  final: Slab; // [D]
  logits: Slab; // [V rounded up to a multiple of 4]
  headOut: Slab; // [T, V rounded up]: the logits of up to T hidden states (project)
  scores: Slab; // [T], one head's attention weights
}

/** LayerNorm with ε 1e-5 (as ops.layerNorm): out = (x − mean) / √(var + ε) · g + b. */
function layerNorm(x: Float32Array, [g, b]: [Float32Array, Float32Array], out: Float32Array): void {
  let mean = 0;
  for (let i = 0; i < x.length; i++) mean += x[i];
  mean /= x.length;
  let variance = 0;
  for (let i = 0; i < x.length; i++) variance += (x[i] - mean) ** 2;
  const scale = 1 / Math.sqrt(variance / x.length + 1e-5);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - mean) * scale * g[i] + b[i];
}

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * Bytes of the arena for `config`: every matrix and bias, the KV cache, the activations, and 16
 * bytes of alignment for each.
 */
function arenaBytes({ dModel: D, nLayers, contextLength: T, vocabSize }: GPTConfig): number {
  const perLayer = 12 * D * D + 9 * D + 2 * T * D;
  const activations = T * 10 * D + D + (T + 1) * roundUp4(vocabSize) + T;
  const slabs = 10 * nLayers + 9;
  return 4 * (nLayers * perLayer + D * roundUp4(vocabSize) + activations) + 16 * (slabs + 1);
}

/** Every parameter of `model` as a plain array, by name (read at once: one wait, not one each). */
export async function parameterArrays(model: GPT): Promise<Map<string, Float32Array>> {
  const names = [...model.params.keys()];
  const data = await Promise.all(names.map((n) => model.params.get(n)?.data()));
  return new Map(names.map((n, i) => [n, data[i] as Float32Array]));
}

export class FastDecoder {
  /** Positions in the cache. */
  length = 0;
  private readonly logits: Float32Array;

  private constructor(
    readonly config: GPTConfig,
    private readonly arena: Arena,
    private readonly wte: Float32Array,
    private readonly wpe: Float32Array,
    private readonly layers: Layer[],
    private readonly lnf: [Float32Array, Float32Array],
    /** [D, V rounded up to a multiple of 4]: the untied head, or wte's transpose; zero-padded. */
    private readonly head: Slab,
    private readonly act: Activations,
  ) {
    this.logits = act.logits.view.subarray(0, config.vocabSize);
  }

  /**
   * The decoder of `model`'s weights as they are now (copied: later training does not reach it).
   * `simd: false` runs the products as plain loops (the path of engines without WebAssembly SIMD).
   */
  static async of(model: GPT, options: { simd?: boolean } = {}): Promise<FastDecoder> {
    return FastDecoder.fromArrays(model.config, await parameterArrays(model), options);
  }

  /**
   * The decoder of a GPT's parameters given as plain arrays by name (as parameterArrays reads
   * them): no TensorFlow.js needed, e.g. in a worker of its own.
   */
  static fromArrays(
    config: GPTConfig,
    parameters: ReadonlyMap<string, Float32Array>,
    { simd = true } = {},
  ): FastDecoder {
    const { dModel: D, contextLength: T, nLayers, vocabSize: V } = config;
    const arena = new Arena(arenaBytes(config), simd);
    const read = (name: string) => {
      const v = parameters.get(name);
      if (!v) throw new Error(`no parameter ${name}`);
      return v;
    };
    const copy = (name: string) => Float32Array.from(read(name));
    const hold = (name: string) => arena.hold(read(name));
    const layers: Layer[] = [];
    for (let l = 0; l < nLayers; l++) {
      const p = `h${l}`;
      layers.push({
        ln1: [copy(`${p}.ln1.g`), copy(`${p}.ln1.b`)],
        wqkv: hold(`${p}.attn.wqkv`),
        bqkv: hold(`${p}.attn.bqkv`),
        wo: hold(`${p}.attn.wo`),
        bo: hold(`${p}.attn.bo`),
        ln2: [copy(`${p}.ln2.g`), copy(`${p}.ln2.b`)],
        w1: hold(`${p}.mlp.w1`),
        b1: hold(`${p}.mlp.b1`),
        w2: hold(`${p}.mlp.w2`),
        b2: hold(`${p}.mlp.b2`),
        keys: arena.take(T * D),
        values: arena.take(T * D),
      });
    }
    const wte = copy("wte"); // [V, D]
    const paddedV = roundUp4(V);
    const head = arena.take(D * paddedV);
    if (config.tiedHead) {
      // wte's transpose, in blocks of 64 rows (far fewer cache misses than column by column).
      for (let v0 = 0; v0 < V; v0 += 64)
        for (let d = 0; d < D; d++)
          for (let v = v0; v < Math.min(V, v0 + 64); v++)
            head.view[d * paddedV + v] = wte[v * D + d];
    } else {
      const untied = read("head"); // [D, V]
      for (let d = 0; d < D; d++) head.view.set(untied.subarray(d * V, (d + 1) * V), d * paddedV);
    }
    const act: Activations = {
      normed: arena.take(T * D),
      qkv: arena.take(T * 3 * D),
      mixed: arena.take(T * D),
      projected: arena.take(T * D),
      hidden: arena.take(T * 4 * D),
      final: arena.take(D),
      logits: arena.take(paddedV),
      headOut: arena.take(T * paddedV),
      scores: arena.take(T),
    };
    const lnf: [Float32Array, Float32Array] = [copy("lnf.g"), copy("lnf.b")];
    return new FastDecoder(config, arena, wte, copy("wpe"), layers, lnf, head, act);
  }

  /** Whether the products run in the WebAssembly SIMD kernel (else in plain loops). */
  get simd(): boolean {
    return this.arena.simd;
  }

  /** Matrix products run so far (one per matrix and fed batch of positions). */
  get calls(): number {
    return this.arena.products;
  }

  /** Forgets the cached positions. */
  reset(): void {
    this.length = 0;
  }

  /**
   * Feeds token `id` at the next position and returns the logits for the token after it (a view
   * that the next call overwrites).
   */
  step(id: number): Float32Array {
    return this.feed([id]);
  }

  /**
   * Feeds `ids` at the next positions (a prompt, or the window after a slide: each matrix product
   * runs once for all of them) and returns the logits after the last (a view that the next call
   * overwrites).
   */
  feed(ids: readonly number[]): Float32Array {
    const { dModel: D } = this.config;
    const x = this.throughLayers(ids);
    // Only the last position's next token is asked for.
    const { act } = this;
    layerNorm(x.subarray((ids.length - 1) * D), this.lnf, act.final.view);
    this.arena.linear(act.final, 1, D, act.logits.floats, this.head, null, act.logits);
    return this.logits;
  }

  /**
   * The final hidden states (after the last LayerNorm) of every position of `ids` read from the
   * start, [ids.length, D]: what the teacher cache keeps (the logits are one product with the
   * head away). The cache is reset first.
   */
  hiddenStates(ids: readonly number[]): Float32Array {
    const { dModel: D } = this.config;
    this.reset();
    const x = this.throughLayers(ids);
    const out = new Float32Array(x.length);
    for (let r = 0; r < ids.length; r++)
      layerNorm(x.subarray(r * D, (r + 1) * D), this.lnf, out.subarray(r * D, (r + 1) * D));
    return out;
  }

  /**
   * The logits of `rows` final hidden states ([rows × D], as hiddenStates gives them): [rows × V],
   * one product with the head per contextLength rows.
   */
  project(hidden: Float32Array, rows: number): Float32Array {
    const { dModel: D, contextLength: T, vocabSize: V } = this.config;
    const { act } = this;
    const paddedV = act.logits.floats;
    const out = new Float32Array(rows * V);
    for (let from = 0; from < rows; from += T) {
      const n = Math.min(T, rows - from);
      act.normed.view.set(hidden.subarray(from * D, (from + n) * D));
      this.arena.linear(act.normed, n, D, paddedV, this.head, null, act.headOut);
      for (let r = 0; r < n; r++)
        out.set(act.headOut.view.subarray(r * paddedV, r * paddedV + V), (from + r) * V);
    }
    return out;
  }

  /** Feeds `ids` at the next positions through every layer; returns their residual stream, [n, D]. */
  private throughLayers(ids: readonly number[]): Float32Array {
    const { dModel: D, nHeads: H, contextLength: T, vocabSize: V } = this.config;
    for (const id of ids)
      if (!Number.isInteger(id) || id < 0 || id >= V)
        throw new Error(`token id ${id} is not in the vocabulary`);
    const start = this.length;
    const n = ids.length;
    if (n === 0) throw new Error("nothing to feed");
    if (start + n > T)
      throw new Error(`sequence of ${start + n} tokens exceeds the context of ${T}`);
    const hd = D / H;
    const { arena, act } = this;
    const x = new Float32Array(n * D); // [n, D], the residual stream
    const normed = act.normed.view;
    const qkv = act.qkv.view;
    const projected = act.projected.view;
    const rows = (a: Float32Array, width: number, r: number) =>
      a.subarray(r * width, (r + 1) * width);
    ids.forEach((id, r) => {
      for (let d = 0; d < D; d++)
        x[r * D + d] = this.wte[id * D + d] + this.wpe[(start + r) * D + d];
    });
    const scale = 1 / Math.sqrt(hd);
    for (const layer of this.layers) {
      for (let r = 0; r < n; r++) layerNorm(rows(x, D, r), layer.ln1, rows(normed, D, r));
      arena.linear(act.normed, n, D, 3 * D, layer.wqkv, layer.bqkv, act.qkv);
      // The new keys and values join the cache: [H, T, hd].
      for (let r = 0; r < n; r++)
        for (let h = 0; h < H; h++) {
          const row = r * 3 * D + h * hd;
          const at = (h * T + start + r) * hd;
          layer.keys.view.set(qkv.subarray(row + D, row + D + hd), at);
          layer.values.view.set(qkv.subarray(row + 2 * D, row + 2 * D + hd), at);
        }
      // Each new position attends to the cache up to itself.
      for (let r = 0; r < n; r++)
        for (let h = 0; h < H; h++)
          arena.attend(
            act.qkv.index + r * 3 * D + h * hd,
            layer.keys.index + h * T * hd,
            layer.values.index + h * T * hd,
            hd,
            start + r + 1,
            scale,
            act.scores,
            act.mixed.index + r * D + h * hd,
          );
      arena.linear(act.mixed, n, D, D, layer.wo, layer.bo, act.projected);
      for (let i = 0; i < x.length; i++) x[i] += projected[i];
      for (let r = 0; r < n; r++) layerNorm(rows(x, D, r), layer.ln2, rows(normed, D, r));
      arena.linear(act.normed, n, D, 4 * D, layer.w1, layer.b1, act.hidden);
      arena.gelu(act.hidden, n * 4 * D);
      arena.linear(act.hidden, n, 4 * D, D, layer.w2, layer.b2, act.projected);
      for (let i = 0; i < x.length; i++) x[i] += projected[i];
    }
    this.length = start + n;
    return x;
  }
}
