/**
 * Arithmetic over float32 buffers that live in one block of memory (an arena): the matrix products
 * and attention of decoding a token, and the softmax of a loss's row, by a small WebAssembly SIMD
 * kernel (kernels.wat) where the engine has SIMD and the widths are multiples of 4, else by plain
 * loops over the same buffers.
 * Either is one call per product or head, with no tensor, no dispatch and no copy: what a token of
 * a small model costs is then its arithmetic.
 */
import { KERNELS_WASM } from "./kernels-wasm";

/** A buffer in the arena: `floats` float32 values from float `index`, and a view of them. */
export interface Slab {
  index: number;
  floats: number;
  view: Float32Array;
}

/** kernels.wat's functions; pointers are byte offsets into the arena. */
interface Kernel {
  linear(x: number, rows: number, inW: number, outW: number, w: number, b: number, y: number): void;
  scores(q: number, keys: number, width: number, count: number, out: number): void;
  mix(weights: number, values: number, width: number, count: number, out: number): void;
  softmax(x: number, count: number, scale: number, out: number): [number, number];
  gelu(x: number, count: number): void;
}

const PAGE_BYTES = 65536;
const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * The part of the WebAssembly API used here (src/ml is typed without the DOM's declarations; the
 * engine may also lack WebAssembly).
 */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Memory: new (size: { initial: number; maximum: number }) => { buffer: ArrayBuffer };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

let compiled: object | null | undefined;
/** The kernel's module, compiled once (null where this engine has no WebAssembly SIMD). */
function simdModule(): object | null {
  if (compiled === undefined) {
    const bytes = Uint8Array.from(atob(KERNELS_WASM), (c) => c.charCodeAt(0));
    compiled = wasm?.validate(bytes) ? new wasm.Module(bytes) : null;
  }
  return compiled;
}

/** Whether the SIMD kernel runs here. */
export const simdAvailable = (): boolean => simdModule() !== null;

export class Arena {
  /** Matrix products run so far (a decoded token's count is the bench's "calls per token"). */
  products = 0;
  /** Floats handed out; the first 4 stay unused, as offset 0 tells the kernel "no bias". */
  private used = 4;
  private readonly floats: Float32Array;
  private readonly kernel: Kernel | null;
  private sums = new Float64Array(0);

  /** An arena of `bytes` (rounded up to whole pages); `simd: false` forces the plain loops. */
  constructor(bytes: number, simd = true) {
    const module = simd ? simdModule() : null;
    const pages = Math.ceil(bytes / PAGE_BYTES);
    if (module && wasm) {
      const memory = new wasm.Memory({ initial: pages, maximum: pages });
      this.kernel = new wasm.Instance(module, { env: { memory } }).exports as unknown as Kernel;
      this.floats = new Float32Array(memory.buffer);
    } else {
      this.kernel = null;
      this.floats = new Float32Array((pages * PAGE_BYTES) / 4);
    }
  }

  /** Whether the arithmetic runs in the SIMD kernel. */
  get simd(): boolean {
    return this.kernel !== null;
  }

  /** A zeroed buffer of `floats` values, 16-byte aligned (the kernel loads four lanes at once). */
  take(floats: number): Slab {
    const index = this.used;
    const end = index + Math.ceil(floats / 4) * 4;
    if (end > this.floats.length) throw new Error("arena: out of memory");
    this.used = end;
    return { index, floats, view: this.floats.subarray(index, index + floats) };
  }

  /** A buffer holding a copy of `values`. */
  hold(values: ArrayLike<number>): Slab {
    const slab = this.take(values.length);
    slab.view.set(values);
    return slab;
  }

  /**
   * y[r] = x[r]·W + b for the `rows` rows of x ([rows, inWidth]); W is [inWidth, outWidth], b
   * [outWidth] (or null), y [rows, outWidth].
   */
  linear(
    x: Slab,
    rows: number,
    inWidth: number,
    outWidth: number,
    w: Slab,
    b: Slab | null,
    y: Slab,
  ): void {
    this.products++;
    if (this.kernel && inWidth % 4 === 0 && outWidth % 4 === 0) {
      const bias = b ? 4 * b.index : 0;
      this.kernel.linear(4 * x.index, rows, inWidth, outWidth, 4 * w.index, bias, 4 * y.index);
      return;
    }
    // The loop sums in double precision (a row at a time), as JavaScript numbers are.
    if (this.sums.length < outWidth) this.sums = new Float64Array(outWidth);
    const [X, W, Y, sums] = [x.view, w.view, y.view, this.sums];
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < outWidth; j++) sums[j] = b ? b.view[j] : 0;
      for (let i = 0; i < inWidth; i++) {
        const xi = X[r * inWidth + i];
        const row = i * outWidth;
        for (let j = 0; j < outWidth; j++) sums[j] += xi * W[row + j];
      }
      Y.set(sums.subarray(0, outWidth), r * outWidth);
    }
  }

  /**
   * One head's attention: out = softmax(scale · q·Kᵀ)·V over the first `count` rows of K and V
   * ([count, width] from float `keys` and `values`); q is `width` floats from float `q`, out from
   * float `out`; `scores` (at least `count` floats) is scratch.
   */
  attend(
    q: number,
    keys: number,
    values: number,
    width: number,
    count: number,
    scale: number,
    scores: Slab,
    out: number,
  ): void {
    const f = this.floats;
    const s = scores.index;
    const simd = this.kernel !== null && width % 4 === 0;
    if (simd) this.kernel?.scores(4 * q, 4 * keys, width, count, 4 * s);
    else
      for (let t = 0; t < count; t++) {
        let dot = 0;
        for (let e = 0; e < width; e++) dot += f[q + e] * f[keys + t * width + e];
        f[s + t] = dot;
      }
    let max = Number.NEGATIVE_INFINITY;
    for (let t = 0; t < count; t++) max = Math.max(max, f[s + t] * scale);
    let total = 0;
    for (let t = 0; t < count; t++) {
      f[s + t] = Math.exp(f[s + t] * scale - max);
      total += f[s + t];
    }
    for (let t = 0; t < count; t++) f[s + t] /= total;
    if (simd) this.kernel?.mix(4 * s, 4 * values, width, count, 4 * out);
    else
      for (let e = 0; e < width; e++) {
        let sum = 0;
        for (let t = 0; t < count; t++) sum += f[s + t] * f[values + t * width + e];
        f[out + e] = sum;
      }
  }

  /**
   * out[v] = e^(scale · x[v] − max) for one row, where max = max_v scale · x[v] (scale > 0);
   * returns max and the sum of out, so that softmax = out / sum and log-softmax = scale · x − max −
   * log sum.
   */
  softmax(x: Slab, scale: number, out: Slab): { max: number; sum: number } {
    if (this.kernel && x.floats % 4 === 0) {
      const [max, sum] = this.kernel.softmax(4 * x.index, x.floats, scale, 4 * out.index);
      return { max, sum };
    }
    const [X, E] = [x.view, out.view];
    let max = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < x.floats; v++) max = Math.max(max, scale * X[v]);
    let sum = 0;
    for (let v = 0; v < x.floats; v++) {
      E[v] = Math.exp(scale * X[v] - max);
      sum += E[v];
    }
    return { max, sum };
  }

  /** GELU (tanh approximation, as ops.gelu) of the first `count` values of `x`, in place. */
  gelu(x: Slab, count: number): void {
    if (this.kernel && count % 4 === 0) {
      this.kernel.gelu(4 * x.index, count);
      return;
    }
    const X = x.view;
    for (let i = 0; i < count; i++) {
      const v = X[i];
      X[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
    }
  }
}
