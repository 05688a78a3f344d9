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
  return x.mul(0.5).mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(c)).add(1));
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

let wasmKernelRegistered = false;

/**
 * Registers UnsortedSegmentSum for the wasm backend, which tfjs 4.22 lacks: it is the gradient of
 * `tf.gather`, i.e. of the embedding lookup. Safe to call more than once.
 */
export function registerWasmSegmentSum(): void {
  if (wasmKernelRegistered || tf.getKernel("UnsortedSegmentSum", "wasm")) return;
  wasmKernelRegistered = true;
  tf.registerKernel({
    kernelName: "UnsortedSegmentSum",
    backendName: "wasm",
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const { numSegments } = attrs as unknown as { numSegments: number };
      const wasm = backend as unknown as WasmBackendLike;
      const values = wasm.typedArrayFromHeap(x) as Float32Array;
      const ids = wasm.typedArrayFromHeap(segmentIds) as Int32Array;
      const rows = ids.length;
      const inner = rows === 0 ? 0 : values.length / rows;
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const out = wasm.makeOutput(outShape, x.dtype);
      const outValues = wasm.typedArrayFromHeap(out) as Float32Array;
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
  });
}

interface WasmBackendLike {
  typedArrayFromHeap(t: tf.TensorInfo): ArrayLike<number> & { fill(v: number): unknown };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}
