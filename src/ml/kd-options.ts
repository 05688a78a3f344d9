/** The distillation choices, as names: no TensorFlow.js here, so the UI can list them. */

/** forward: KL(teacher ‖ student)·T²; paper-inverse: the paper code's −Σ p_teacher log p_student; reverse: KL(student ‖ teacher)·T². */
export const KD_LOSSES = ["forward", "paper-inverse", "reverse"] as const;
export type KdLoss = (typeof KD_LOSSES)[number];

/** combined: α·CE + β·KD every step; alternating: CE on even steps, KD on odd ones. */
export const LOSS_MODES = ["combined", "alternating"] as const;
export type LossMode = (typeof LOSS_MODES)[number];

/** How α moves during a run (alpha.ts). */
export const ALPHA_KINDS = ["fixed", "adaptive", "linear", "cosine", "step"] as const;
export type AlphaKind = (typeof ALPHA_KINDS)[number];
