/**
 * The losses as TensorFlow.js ops (see loss-gradient.ts): they run on every backend, and are the
 * path on GPUs, where the logits stay in GPU memory.
 */
import * as tf from "@tensorflow/tfjs";
import { type Losses, withGradient } from "./loss-gradient";

/** Next-token cross-entropy: mean of −log p_student(target); ∂/∂logits = softmax − one-hot(target). */
function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return withGradient(logits, mask, (s) => {
    const [n, vocab] = s.shape;
    const logQ = tf.logSoftmax(s);
    // −log q at each target, read with one gather over the flattened [N·V] values.
    const flat = tf.range(0, n * vocab, vocab, "int32").add(targets) as tf.Tensor1D;
    const loss = tf.gather(logQ.reshape([-1]), flat).neg() as tf.Tensor1D;
    return { loss, grad: () => tf.exp(logQ).sub(tf.oneHot(targets, vocab)) as tf.Tensor2D };
  });
}

/** log softmax(teacher/T) and log softmax(student/T), [N, V] each. */
function temperedLogProbs(teacher: tf.Tensor2D, student: tf.Tensor2D, t: number) {
  return { logP: tf.logSoftmax(teacher.div(t)), logQ: tf.logSoftmax(student.div(t)) };
}

/** Forward KL(teacher ‖ student) at temperature T, times T² (Hinton et al.); ∂/∂s = T·(q − p). */
function forwardKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature = 2,
): tf.Scalar {
  const t = temperature;
  return withGradient(student, mask, (s) => {
    const { logP, logQ } = temperedLogProbs(teacher, s, t);
    const p = tf.exp(logP);
    const loss = p
      .mul(logP.sub(logQ))
      .sum(-1)
      .mul(t * t) as tf.Tensor1D;
    return { loss, grad: () => tf.exp(logQ).sub(p).mul(t) as tf.Tensor2D };
  });
}

/**
 * The paper code's "inverse KL": −Σ_v p_teacher(v) · log p_student(v), no temperature. This is
 * the cross-entropy from teacher to student (forward KL plus the teacher's entropy); ∂/∂s = q − p.
 */
function paperInverseKl(student: tf.Tensor2D, teacher: tf.Tensor2D, mask: tf.Tensor1D): tf.Scalar {
  return withGradient(student, mask, (s) => {
    const p = tf.softmax(teacher);
    const logQ = tf.logSoftmax(s);
    const loss = p.mul(logQ).sum(-1).neg() as tf.Tensor1D;
    return { loss, grad: () => tf.exp(logQ).sub(p) as tf.Tensor2D };
  });
}

/** True reverse KL(student ‖ teacher) at temperature T, times T²; ∂/∂s = T·q·(log q − log p − KL). */
function reverseKl(
  student: tf.Tensor2D,
  teacher: tf.Tensor2D,
  mask: tf.Tensor1D,
  temperature = 1,
): tf.Scalar {
  const t = temperature;
  return withGradient(student, mask, (s) => {
    const { logP, logQ } = temperedLogProbs(teacher, s, t);
    const q = tf.exp(logQ);
    const diff = logQ.sub(logP);
    const kl = q.mul(diff).sum(-1, true); // [N, 1]
    const loss = kl.reshape([-1]).mul(t * t) as tf.Tensor1D;
    return { loss, grad: () => q.mul(diff.sub(kl)).mul(t) as tf.Tensor2D };
  });
}

export const OP_LOSSES: Losses = { crossEntropy, forwardKl, paperInverseKl, reverseKl };
