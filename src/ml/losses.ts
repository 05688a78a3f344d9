/**
 * Language-model and distillation losses over flattened positions.
 *
 * Shapes: student and teacher logits [N, V]; targets [N] (int32); mask [N] (1 = counts, 0 = pad).
 * Every loss is a mean over the positions where mask = 1.
 */
import * as tf from "@tensorflow/tfjs";
import type { KdLoss } from "./kd-options";

/** Σ_i mask_i · perPosition_i / Σ_i mask_i (0 when nothing is unmasked). */
export function maskedMean(perPosition: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => perPosition.mul(mask).sum().div(mask.sum().maximum(1e-9)) as tf.Scalar);
}

/** Next-token cross-entropy: mean of −log p_student(target). */
export function crossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  mask: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const picked = logProbs.mul(tf.oneHot(targets, logits.shape[1])).sum(-1) as tf.Tensor1D;
    return maskedMean(picked.neg(), mask);
  });
}

/** KL(softmax(p/T) ‖ softmax(q/T)) · T², averaged over unmasked positions. */
function temperedKl(
  p: tf.Tensor2D,
  q: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature: number,
): tf.Scalar {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(p.div(temperature));
    const logQ = tf.logSoftmax(q.div(temperature));
    const perPosition = tf.exp(logP).mul(logP.sub(logQ)).sum(-1) as tf.Tensor1D;
    return maskedMean(perPosition, mask).mul(temperature * temperature) as tf.Scalar;
  });
}

/** Forward KL(teacher ‖ student) at temperature T, times T² (Hinton et al.). */
export function forwardKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature = 2,
): tf.Scalar {
  return temperedKl(teacher, student, mask, temperature);
}

/**
 * The paper code's "inverse KL": −Σ_v p_teacher(v) · log p_student(v), no temperature. This is
 * the cross-entropy from teacher to student (forward KL plus the teacher's entropy).
 */
export function paperInverseKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => {
    const pt = tf.softmax(teacher);
    const perPosition = pt.mul(tf.logSoftmax(student)).sum(-1).neg() as tf.Tensor1D;
    return maskedMean(perPosition, mask);
  });
}

/** True reverse KL(student ‖ teacher) at temperature T, times T². */
export function reverseKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature = 1,
): tf.Scalar {
  return temperedKl(student, teacher, mask, temperature);
}

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
