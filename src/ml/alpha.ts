/**
 * How the loss weights α (on CE) and β (on KD) move during training: total = α·CE + β·KD.
 *
 * Every schedule sees each step's CE and KD values (`observe`), so the adaptive one can react to
 * them; the others ignore them. `alternating` mode replaces the weights by (1, 0) on even steps
 * and (0, 1) on odd steps, as in the paper's code.
 */
import type { LossMode } from "./kd-options";

export interface LossWeights {
  alpha: number;
  beta: number;
}

export interface AlphaSchedule {
  /** Weights to use at `step` (0-based). */
  weights(step: number): LossWeights;
  /** Records the step's losses (before weighting). */
  observe(ce: number, kd: number): void;
}

export type AlphaSpec =
  | { kind: "fixed"; alpha: number }
  | { kind: "adaptive"; window?: number }
  | { kind: "linear" | "cosine"; from: number; to: number }
  | { kind: "step"; from: number; to: number; at: number };

function checkUnit(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0 || v > 1)
    throw new Error(`${name} must be a number in [0, 1], got ${v}`);
  return v;
}

export function fixedAlpha(alpha: number): AlphaSchedule {
  checkUnit("alpha", alpha);
  return { weights: () => ({ alpha, beta: 1 - alpha }), observe: () => {} };
}

/** α goes from `from` to `to` over `totalSteps`, linearly or along a half cosine. */
export function annealedAlpha(
  shape: "linear" | "cosine",
  from: number,
  to: number,
  totalSteps: number,
): AlphaSchedule {
  checkUnit("alpha start", from);
  checkUnit("alpha end", to);
  return {
    weights(step) {
      const t = totalSteps <= 1 ? 1 : Math.min(1, step / (totalSteps - 1));
      const progress = shape === "linear" ? t : (1 - Math.cos(Math.PI * t)) / 2;
      const alpha = from + (to - from) * progress;
      return { alpha, beta: 1 - alpha };
    },
    observe: () => {},
  };
}

/** α = `from` until the fraction `at` of training is done, then `to`. */
export function stepAlpha(from: number, to: number, at: number, totalSteps: number): AlphaSchedule {
  checkUnit("alpha start", from);
  checkUnit("alpha end", to);
  checkUnit("step position", at);
  const boundary = Math.round(at * totalSteps);
  return {
    weights: (step) => {
      const alpha = step < boundary ? from : to;
      return { alpha, beta: 1 - alpha };
    },
    observe: () => {},
  };
}

/** The paper's window: k = max(20, steps / 100). */
export function adaptiveWindow(totalSteps: number): number {
  return Math.max(20, Math.floor(totalSteps / 100));
}

/**
 * Relative rise of a loss over its last k values: (h[−1] − h[−k]) / mean(h[−k:]), i.e. the
 * paper's telescoping sum of differences. 0 when the mean is 0 (the 0/0 guard).
 */
export function lossTrend(history: readonly number[], k: number): number {
  const recent = history.slice(-k);
  const mean = recent.reduce((s, v) => s + v, 0) / recent.length;
  if (mean === 0 || !Number.isFinite(mean)) return 0;
  return (recent[recent.length - 1] - recent[0]) / mean;
}

/**
 * The paper's adaptive α: a loss that rose by a fraction r over the window gets weight 1 − r
 * (clamped to [0, 1]); a falling or flat loss gets 1. α = w_CE / (w_CE + w_KD). Starts at 0.5/0.5
 * until both histories hold k values; if both weights are 0 it falls back to 0.5/0.5.
 */
export function adaptiveAlpha(window: number): AlphaSchedule {
  if (!Number.isInteger(window) || window < 2)
    throw new Error(`adaptive window must be an integer ≥ 2, got ${window}`);
  const ceHistory: number[] = [];
  const kdHistory: number[] = [];
  const weightOf = (h: number[]) => 1 - Math.min(1, Math.max(0, lossTrend(h, window)));
  return {
    weights() {
      if (ceHistory.length < window || kdHistory.length < window) return { alpha: 0.5, beta: 0.5 };
      const wCe = weightOf(ceHistory);
      const wKd = weightOf(kdHistory);
      const sum = wCe + wKd;
      if (sum === 0) return { alpha: 0.5, beta: 0.5 };
      return { alpha: wCe / sum, beta: wKd / sum };
    },
    observe(ce, kd) {
      ceHistory.push(ce);
      kdHistory.push(kd);
      // Only the last `window` values matter.
      if (ceHistory.length > window) ceHistory.shift();
      if (kdHistory.length > window) kdHistory.shift();
    },
  };
}

export function createAlphaSchedule(spec: AlphaSpec, totalSteps: number): AlphaSchedule {
  switch (spec.kind) {
    case "fixed":
      return fixedAlpha(spec.alpha);
    case "adaptive":
      return adaptiveAlpha(spec.window ?? adaptiveWindow(totalSteps));
    case "linear":
    case "cosine":
      return annealedAlpha(spec.kind, spec.from, spec.to, totalSteps);
    case "step":
      return stepAlpha(spec.from, spec.to, spec.at, totalSteps);
  }
}

/** The weights actually applied at `step` in `mode`. */
export function appliedWeights(schedule: AlphaSchedule, mode: LossMode, step: number): LossWeights {
  if (mode === "alternating") return step % 2 === 0 ? { alpha: 1, beta: 0 } : { alpha: 0, beta: 1 };
  return schedule.weights(step);
}

/** Parses CLI/URL forms: "fixed:0.5", "adaptive", "adaptive:30", "linear:1,0", "cosine:1,0", "step:1,0,0.5". */
export function parseAlphaSpec(text: string): AlphaSpec {
  const [kind, args = ""] = text.split(":", 2);
  const nums = args === "" ? [] : args.split(",").map(Number);
  const need = (n: number) => {
    if (nums.length !== n || nums.some((v) => !Number.isFinite(v))) {
      throw new Error(`alpha "${text}": ${kind} needs ${n} number(s)`);
    }
  };
  switch (kind) {
    case "fixed":
      need(1);
      return { kind, alpha: checkUnit("alpha", nums[0]) };
    case "adaptive":
      if (nums.length === 0) return { kind };
      need(1);
      return { kind, window: nums[0] };
    case "linear":
    case "cosine":
      need(2);
      return { kind, from: checkUnit("alpha start", nums[0]), to: checkUnit("alpha end", nums[1]) };
    case "step":
      need(3);
      return {
        kind,
        from: checkUnit("alpha start", nums[0]),
        to: checkUnit("alpha end", nums[1]),
        at: checkUnit("step position", nums[2]),
      };
    default:
      throw new Error(`alpha "${text}": unknown kind (fixed, adaptive, linear, cosine, step)`);
  }
}
