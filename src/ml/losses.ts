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

/** Next-token cross-entropy: mean of −log p_student(target); ∂/∂logits = softmax − one-hot(target). */
export function crossEntropy(
  logits: tf.Tensor2D,
  targets: tf.Tensor1D,
  mask: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() =>
    withGradient(logits, mask, (s) => {
      const [n, vocab] = s.shape;
      const logQ = tf.logSoftmax(s);
      // −log q at each target, read with one gather over the flattened [N·V] values.
      const flat = tf.range(0, n * vocab, vocab, "int32").add(targets) as tf.Tensor1D;
      const loss = tf.gather(logQ.reshape([-1]), flat).neg() as tf.Tensor1D;
      return { loss, grad: () => tf.exp(logQ).sub(tf.oneHot(targets, vocab)) as tf.Tensor2D };
    }),
  );
}

/**
 * A loss of the student's logits with its gradient written out, so that backpropagation costs two
 * passes over [N, V] instead of differentiating every softmax and log (on WASM, elementwise work
 * over the vocabulary is most of a training step). `perPosition` gives the loss at each position
 * and, for the gradient, ∂loss/∂(student logits) per position.
 */
function withGradient(
  student: tf.Tensor2D,
  mask: tf.Tensor1D,
  perPosition: (s: tf.Tensor2D) => { loss: tf.Tensor1D; grad: () => tf.Tensor2D },
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
  return fn(student);
}

/** log softmax(teacher/T) and log softmax(student/T), [N, V] each. */
function temperedLogProbs(teacher: tf.Tensor2D, student: tf.Tensor2D, t: number) {
  return { logP: tf.logSoftmax(teacher.div(t)), logQ: tf.logSoftmax(student.div(t)) };
}

/** Forward KL(teacher ‖ student) at temperature T, times T² (Hinton et al.); ∂/∂s = T·(q − p). */
export function forwardKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature = 2,
): tf.Scalar {
  const t = temperature;
  return tf.tidy(() =>
    withGradient(student, mask, (s) => {
      const { logP, logQ } = temperedLogProbs(teacher, s, t);
      const p = tf.exp(logP);
      const loss = p
        .mul(logP.sub(logQ))
        .sum(-1)
        .mul(t * t) as tf.Tensor1D;
      return { loss, grad: () => tf.exp(logQ).sub(p).mul(t) as tf.Tensor2D };
    }),
  );
}

/**
 * The paper code's "inverse KL": −Σ_v p_teacher(v) · log p_student(v), no temperature. This is
 * the cross-entropy from teacher to student (forward KL plus the teacher's entropy); ∂/∂s = q − p.
 */
export function paperInverseKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() =>
    withGradient(student, mask, (s) => {
      const p = tf.softmax(teacher);
      const logQ = tf.logSoftmax(s);
      const loss = p.mul(logQ).sum(-1).neg() as tf.Tensor1D;
      return { loss, grad: () => tf.exp(logQ).sub(p) as tf.Tensor2D };
    }),
  );
}

/** True reverse KL(student ‖ teacher) at temperature T, times T²; ∂/∂s = T·q·(log q − log p − KL). */
export function reverseKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature = 1,
): tf.Scalar {
  const t = temperature;
  return tf.tidy(() =>
    withGradient(student, mask, (s) => {
      const { logP, logQ } = temperedLogProbs(teacher, s, t);
      const q = tf.exp(logQ);
      const diff = logQ.sub(logP);
      const kl = q.mul(diff).sum(-1, true); // [N, 1]
      const loss = kl.reshape([-1]).mul(t * t) as tf.Tensor1D;
      return { loss, grad: () => q.mul(diff.sub(kl)).mul(t) as tf.Tensor2D };
    }),
  );
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
