/**
 * Decoding one token at a time on the CPU without TensorFlow.js: the GPT's weights as plain
 * Float32Arrays and a KV cache per layer, so a token is a few loops per layer instead of ~60
 * kernel dispatches (each ~27 µs on WASM, far above the arithmetic of a small model). The
 * TensorFlow.js forward (gpt.ts) stays the reference, and the path for training and for the GPU.
 *
 *   x = wte[id] + wpe[pos]                                          [D]
 *   per layer: x += Wo·attend(split(Wqkv·ln1(x) + b)) + bo;  x += W2·gelu(W1·ln2(x) + b1) + b2
 *   logits = head(lnf(x))                                           [V]
 *
 * Sums run in double precision (JS numbers) and are stored as float32.
 */
import * as tf from "@tensorflow/tfjs";
import type { GPT, GPTConfig } from "./gpt";

type Tensor3D = tf.Tensor3D;
type Vector = tf.Tensor1D;

interface Layer {
  ln1: [Float32Array, Float32Array];
  wqkv: Tensor3D; // [1, D, 3D]
  bqkv: Vector;
  wo: Tensor3D; // [1, D, D]
  bo: Vector;
  ln2: [Float32Array, Float32Array];
  w1: Tensor3D; // [1, D, 4D]
  b1: Vector;
  w2: Tensor3D; // [1, 4D, D]
  b2: Vector;
  /** Keys and values of the positions so far: [H, contextLength, headDim]. */
  keys: Float32Array;
  values: Float32Array;
}

/**
 * out = x·w + b for the n rows of x, in one kernel: TensorFlow.js's fused matMul called directly on 3-D operands (its
 * op wrapper adds three reshapes around the kernel), the result read back at once.
 */
function linear(
  x: Float32Array,
  n: number,
  w: Tensor3D,
  b: Vector | null,
  out: Float32Array,
): void {
  const a = tf.tensor3d(x, [1, n, x.length / n]);
  const inputs: tf.NamedTensorMap = b ? { a, b: w, bias: b } : { a, b: w };
  const y = tf.engine().runKernel("_FusedMatMul", inputs, {
    transposeA: false,
    transposeB: false,
    activation: "linear",
  }) as tf.Tensor;
  out.set(y.dataSync() as Float32Array);
  tf.dispose([a, y]);
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

const GELU_C = Math.sqrt(2 / Math.PI);

export class FastDecoder {
  /** Positions in the cache. */
  length = 0;
  private readonly scores: Float32Array;
  private readonly logits: Float32Array;

  private constructor(
    readonly config: GPTConfig,
    private readonly wte: Float32Array,
    private readonly wpe: Float32Array,
    private readonly layers: Layer[],
    private readonly lnf: [Float32Array, Float32Array],
    /** [1, D, V]: the untied head, or wte's transpose. */
    private readonly head: Tensor3D,
  ) {
    const { vocabSize: V, contextLength: T } = config;
    this.scores = new Float32Array(T);
    this.logits = new Float32Array(V);
  }

  /**
   * The decoder of `model`'s weights as they are now: its matrices as 3-D views of them (owned
   * here: dispose the decoder), the small vectors copied.
   */
  static async of(model: GPT): Promise<FastDecoder> {
    const { config } = model;
    const { dModel: D, contextLength: T, nLayers } = config;
    const tensor = <R extends tf.Tensor>(name: string) => {
      const v = model.params.get(name);
      if (!v) throw new Error(`no parameter ${name}`);
      return v as unknown as R;
    };
    const matrix = (name: string) => {
      const m = tensor<tf.Tensor2D>(name);
      return m.reshape([1, ...m.shape]) as Tensor3D;
    };
    const read = async (name: string) =>
      Float32Array.from((await tensor(name).data()) as Float32Array);
    const layers: Layer[] = [];
    for (let l = 0; l < nLayers; l++) {
      const p = `h${l}`;
      layers.push({
        ln1: [await read(`${p}.ln1.g`), await read(`${p}.ln1.b`)],
        wqkv: matrix(`${p}.attn.wqkv`),
        bqkv: tensor(`${p}.attn.bqkv`),
        wo: matrix(`${p}.attn.wo`),
        bo: tensor(`${p}.attn.bo`),
        ln2: [await read(`${p}.ln2.g`), await read(`${p}.ln2.b`)],
        w1: matrix(`${p}.mlp.w1`),
        b1: tensor(`${p}.mlp.b1`),
        w2: matrix(`${p}.mlp.w2`),
        b2: tensor(`${p}.mlp.b2`),
        keys: new Float32Array(T * D),
        values: new Float32Array(T * D),
      });
    }
    const head = config.tiedHead
      ? tf.tidy(() => tf.transpose(tensor<tf.Tensor2D>("wte")).expandDims(0) as Tensor3D)
      : matrix("head");
    return new FastDecoder(
      config,
      await read("wte"),
      await read("wpe"),
      layers,
      [await read("lnf.g"), await read("lnf.b")],
      head,
    );
  }

  /** Frees the decoder's views of the weights (the model keeps its own). */
  dispose(): void {
    tf.dispose([this.head, ...this.layers.flatMap((l) => [l.wqkv, l.wo, l.w1, l.w2])]);
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
    const x = new Float32Array(n * D); // [n, D]
    const normed = new Float32Array(n * D);
    const qkv = new Float32Array(n * 3 * D);
    const mixed = new Float32Array(n * D);
    const projected = new Float32Array(n * D);
    const hidden = new Float32Array(n * 4 * D);
    const { scores } = this;
    const rows = (a: Float32Array, width: number, r: number) =>
      a.subarray(r * width, (r + 1) * width);
    ids.forEach((id, r) => {
      for (let d = 0; d < D; d++)
        x[r * D + d] = this.wte[id * D + d] + this.wpe[(start + r) * D + d];
    });
    const scale = 1 / Math.sqrt(hd);
    for (const layer of this.layers) {
      for (let r = 0; r < n; r++) layerNorm(rows(x, D, r), layer.ln1, rows(normed, D, r));
      linear(normed, n, layer.wqkv, layer.bqkv, qkv);
      // The new keys and values join the cache: [H, T, hd].
      for (let r = 0; r < n; r++)
        for (let h = 0; h < H; h++)
          for (let e = 0; e < hd; e++) {
            layer.keys[(h * T + start + r) * hd + e] = qkv[r * 3 * D + D + h * hd + e];
            layer.values[(h * T + start + r) * hd + e] = qkv[r * 3 * D + 2 * D + h * hd + e];
          }
      // Each new position attends to the cache up to itself.
      for (let r = 0; r < n; r++) {
        const last = start + r;
        for (let h = 0; h < H; h++) {
          const q = r * 3 * D + h * hd;
          let max = Number.NEGATIVE_INFINITY;
          for (let t = 0; t <= last; t++) {
            let dot = 0;
            const k = (h * T + t) * hd;
            for (let e = 0; e < hd; e++) dot += qkv[q + e] * layer.keys[k + e];
            scores[t] = dot * scale;
            if (scores[t] > max) max = scores[t];
          }
          let total = 0;
          for (let t = 0; t <= last; t++) {
            scores[t] = Math.exp(scores[t] - max);
            total += scores[t];
          }
          for (let e = 0; e < hd; e++) {
            let sum = 0;
            for (let t = 0; t <= last; t++) sum += scores[t] * layer.values[(h * T + t) * hd + e];
            mixed[r * D + h * hd + e] = sum / total;
          }
        }
      }
      linear(mixed, n, layer.wo, layer.bo, projected);
      for (let i = 0; i < x.length; i++) x[i] += projected[i];
      for (let r = 0; r < n; r++) layerNorm(rows(x, D, r), layer.ln2, rows(normed, D, r));
      linear(normed, n, layer.w1, layer.b1, hidden);
      for (let i = 0; i < hidden.length; i++) {
        const v = hidden[i];
        hidden[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
      }
      linear(hidden, n, layer.w2, layer.b2, projected);
      for (let i = 0; i < x.length; i++) x[i] += projected[i];
    }
    // Only the last position's next token is asked for.
    const final = new Float32Array(D);
    layerNorm(rows(x, D, n - 1), this.lnf, final);
    linear(final, 1, this.head, null, this.logits);
    this.length = start + n;
    return this.logits;
  }
}
