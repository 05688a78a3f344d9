/**
 * Language-model and distillation losses over flattened positions, each with its gradient written
 * out (loss-gradient.ts). Two paths compute them: a row at a time over plain arrays on WASM and CPU
 * (row-losses.ts), TensorFlow.js ops elsewhere (op-losses.ts); they agree to float precision.
 *
 * Shapes: student and teacher logits [N, V]; targets [N] (int32); mask [N] (1 = counts, 0 = pad).
 * Every loss is a mean over the positions where mask = 1.
 */
import type * as tf from "@tensorflow/tfjs";
import { inMainMemory } from "./backend";
import type { KdLoss } from "./kd-options";
import type { Losses } from "./loss-gradient";
import { OP_LOSSES } from "./op-losses";
import { ROW_LOSSES } from "./row-losses";

/** The path for the backend in use: rows where tensors live in main memory (WASM, CPU). */
const here = (): Losses => (inMainMemory() ? ROW_LOSSES : OP_LOSSES);

export const crossEntropy: Losses["crossEntropy"] = (...a) => here().crossEntropy(...a);
export const forwardKl: Losses["forwardKl"] = (...a) => here().forwardKl(...a);
export const paperInverseKl: Losses["paperInverseKl"] = (...a) => here().paperInverseKl(...a);
export const reverseKl: Losses["reverseKl"] = (...a) => here().reverseKl(...a);

export function kdLoss(
  kind: KdLoss,
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature: number,
): tf.Scalar {
  switch (kind) {
    case "forward":
      return forwardKl(student, teacher, mask, temperature);
    case "paper-inverse":
      return paperInverseKl(student, teacher, mask);
    case "reverse":
      return reverseKl(student, teacher, mask, temperature);
  }
}
