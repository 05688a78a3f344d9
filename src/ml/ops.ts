/**
 * Building blocks shared by the models: matrix products whose gradients use only plain
 * (untransposed) products, GELU, LayerNorm, and the wasm kernel tfjs lacks for embedding gradients.
 *
 * Why: on the wasm backend only plain products run on the fast path; the transposed products
 * that tfjs's own matMul gradient uses are several times slower (see shared/tfjs-notes.md).
 */
import * as tf from "@tensorflow/tfjs";

/** x @ w for x [N, K], w [K, M]; the backward pass transposes explicitly. */
export const matmul2d = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)), // dx = dy @ wᵀ   [N, K]
      tf.matMul(tf.transpose(xs), dy as tf.Tensor2D), // dw = xᵀ @ dy   [K, M]
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (
  x: tf.Tensor2D,
  w: tf.Tensor2D,
) => tf.Tensor2D;

/** Batched a @ b for a [..., N, K], b [..., K, M]; the backward pass transposes explicitly. */
export const batchMatmul = tf.customGrad(((a: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
  save([a, b]);
  const swapLast = (t: tf.Tensor) => {
    const perm = t.shape.map((_, i) => i);
    [perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
    return tf.transpose(t, perm);
  };
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, [as, bs]: tf.Tensor[]) => [
      tf.matMul(dy, swapLast(bs)),
      tf.matMul(swapLast(as), dy),
    ],
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/** Affine map over the last axis: x [..., K] @ w [K, M] + b [M]. */
export function linear(x: tf.Tensor, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor {
  const inner = x.shape[x.shape.length - 1];
  const out = matmul2d(x.reshape([-1, inner]) as tf.Tensor2D, w);
  const biased = b ? out.add(b) : out;
  return biased.reshape([...x.shape.slice(0, -1), w.shape[1]]);
}

/** GELU, tanh approximation (as in GPT-2). */
export function gelu(x: tf.Tensor): tf.Tensor {
  const c = Math.sqrt(2 / Math.PI);
  return x.mul(0.5).mul(tf.tanh(x.add(x.square().mul(x).mul(0.044715)).mul(c)).add(1));
}

/** LayerNorm over the last axis. */
export function layerNorm(
  x: tf.Tensor,
  gain: tf.Tensor1D,
  bias: tf.Tensor1D,
  eps = 1e-5,
): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x.sub(mean).div(variance.add(eps).sqrt()).mul(gain).add(bias);
}

let wasmKernelsRegistered = false;

/**
 * Adds to the wasm backend what tfjs 4.22 lacks or runs slowly. Safe to call more than once.
 *  - UnsortedSegmentSum, the gradient of `tf.gather` (the embedding lookup), which is missing.
 *  - BatchMatMul over a batch: wasm's fast (XNNPACK) path takes only one matrix pair, and batched
 *    products fall to a loop ~10x slower, so plain batched products run as one fast product per
 *    batch entry. Transposed or broadcast products keep the original kernel.
 */
export function registerWasmKernels(): void {
  if (wasmKernelsRegistered) return;
  wasmKernelsRegistered = true;
  if (!tf.getKernel("UnsortedSegmentSum", "wasm")) tf.registerKernel(unsortedSegmentSumConfig);
  const original = tf.getKernel("BatchMatMul", "wasm");
  if (original) {
    tf.unregisterKernel("BatchMatMul", "wasm");
    tf.registerKernel({ ...original, kernelFunc: batchedAsSingleProducts(original.kernelFunc) });
  }
}

interface WasmBackendLike {
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}

const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: "UnsortedSegmentSum",
  backendName: "wasm",
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = attrs as unknown as { numSegments: number };
    const wasm = backend as unknown as WasmBackendLike;
    const values = wasm.typedArrayFromHeap(x);
    const ids = wasm.typedArrayFromHeap(segmentIds) as unknown as Int32Array;
    const rows = ids.length;
    const inner = rows === 0 ? 0 : values.length / rows;
    const out = wasm.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
    const outValues = wasm.typedArrayFromHeap(out);
    outValues.fill(0);
    for (let r = 0; r < rows; r++) {
      const segment = ids[r];
      if (segment < 0 || segment >= numSegments) continue; // TensorFlow drops out-of-range ids
      const src = r * inner;
      const dst = segment * inner;
      for (let j = 0; j < inner; j++) outValues[dst + j] += values[src + j];
    }
    return out;
  },
};

function batchedAsSingleProducts(originalKernel: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const batch = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const sameBatch = tf.util.arraysEqual(a.shape.slice(0, -2), b.shape.slice(0, -2));
    if (batch <= 1 || !sameBatch || transposeA || transposeB || a.dtype !== "float32")
      return originalKernel(args);

    const wasm = args.backend as unknown as WasmBackendLike;
    const [m, k] = a.shape.slice(-2);
    const n = b.shape[b.shape.length - 1];
    const out = wasm.makeOutput([...a.shape.slice(0, -2), m, n], "float32");
    // Heap views are taken just before each use: any allocation may grow the heap and detach them.
    const view = (t: tf.TensorInfo) => wasm.typedArrayFromHeap(t);
    for (let i = 0; i < batch; i++) {
      const ai = wasm.makeOutput([m, k], "float32");
      const bi = wasm.makeOutput([k, n], "float32");
      view(ai).set(view(a).subarray(i * m * k, (i + 1) * m * k));
      view(bi).set(view(b).subarray(i * k * n, (i + 1) * k * n));
      const product = originalKernel({ ...args, inputs: { a: ai, b: bi } }) as tf.TensorInfo;
      view(out).set(view(product), i * m * n);
      wasm.disposeData(ai.dataId);
      wasm.disposeData(bi.dataId);
      wasm.disposeData(product.dataId);
    }
    return out;
  };
}
