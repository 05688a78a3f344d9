/**
 * How the losses (losses.ts) give their gradient: each computes, per position, its value and
 * ∂loss/∂(student logits) written out, so backpropagation costs a pass over [N, V] instead of
 * differentiating every softmax and log (on WASM, elementwise work over the vocabulary is most of
 * a training step).
 *
 * Shapes: student and teacher logits [N, V]; targets [N] (int32); mask [N] (1 = counts, 0 = pad).
 * Every loss is a mean over the positions where mask = 1.
 */
import * as tf from "@tensorflow/tfjs";

/** One way of computing the losses; losses.ts picks one per backend. */
export interface Losses {
  /** Next-token cross-entropy: mean of −log p_student(target). */
  crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar;
  /** Forward KL(teacher ‖ student) at temperature T, times T² (Hinton et al.). */
  forwardKl(
    student: tf.Tensor2D,
    teacher: tf.Tensor2D,
    mask: tf.Tensor1D,
    temperature?: number,
  ): tf.Scalar;
  /** The paper code's "inverse KL": −Σ_v p_teacher(v) · log p_student(v), no temperature. */
  paperInverseKl(student: tf.Tensor2D, teacher: tf.Tensor2D, mask: tf.Tensor1D): tf.Scalar;
  /** True reverse KL(student ‖ teacher) at temperature T, times T². */
  reverseKl(
    student: tf.Tensor2D,
    teacher: tf.Tensor2D,
    mask: tf.Tensor1D,
    temperature?: number,
  ): tf.Scalar;
}

/** Σ_i mask_i · perPosition_i / Σ_i mask_i (0 when nothing is unmasked). */
export function maskedMean(perPosition: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => perPosition.mul(mask).sum().div(mask.sum().maximum(1e-9)) as tf.Scalar);
}

/** A loss's value and gradient at each position. */
export interface PerPosition {
  loss: tf.Tensor1D;
  grad: () => tf.Tensor2D;
}

/**
 * A loss of the student's logits with its gradient written out: `perPosition` gives the loss at
 * each position and, for the gradient, ∂loss/∂(student logits) per position. Its intermediate
 * tensors (each position's loss) are freed.
 */
export function withGradient(
  student: tf.Tensor2D,
  mask: tf.Tensor1D,
  perPosition: (s: tf.Tensor2D) => PerPosition,
): tf.Scalar {
  const fn = tf.customGrad(((s: tf.Tensor, save: tf.GradSaveFunc) => {
    const { loss, grad } = perPosition(s as tf.Tensor2D);
    save([grad()]);
    return {
      value: maskedMean(loss, mask),
      gradFunc: (dy: tf.Tensor, [g]: tf.Tensor[]) => {
        const weight = mask.div(mask.sum().maximum(1e-9)).reshape([-1, 1]);
        return g.mul(weight).mul(dy);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (s: tf.Tensor2D) => tf.Scalar;
  return tf.tidy(() => fn(student));
}
