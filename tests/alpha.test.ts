import { describe, expect, it } from "vitest";
import {
  adaptiveAlpha,
  adaptiveWindow,
  annealedAlpha,
  appliedWeights,
  createAlphaSchedule,
  fixedAlpha,
  lossTrend,
  parseAlphaSpec,
  stepAlpha,
} from "../src/ml/alpha";

describe("adaptive α (the paper's rule)", () => {
  it("uses k = max(20, steps/100)", () => {
    expect(adaptiveWindow(500)).toBe(20);
    expect(adaptiveWindow(5000)).toBe(50);
  });

  it("computes the telescoped trend (h[−1] − h[−k]) / mean(h[−k:])", () => {
    expect(lossTrend([1, 2, 3, 4], 4)).toBeCloseTo(3 / 2.5, 12);
    expect(lossTrend([9, 1, 2, 3, 4], 4)).toBeCloseTo(3 / 2.5, 12); // only the last k count
    expect(lossTrend([0, 0, 0], 3)).toBe(0); // 0/0 guard
  });

  it("starts at 0.5/0.5, then follows a scripted loss history", () => {
    const s = adaptiveAlpha(4);
    expect(s.weights(0)).toEqual({ alpha: 0.5, beta: 0.5 });
    // CE falls, KD rises by 10 % of its window mean: w_CE = 1, w_KD = 1 − 0.1 = 0.9.
    const ce = [4, 3, 2, 1];
    const kd = [1.85, 1.9, 1.95, 2.05]; // mean 1.9375, rise 0.2 → trend 0.2/1.9375
    for (let i = 0; i < 3; i++) {
      s.observe(ce[i], kd[i]);
      expect(s.weights(i + 1)).toEqual({ alpha: 0.5, beta: 0.5 }); // fewer than k values yet
    }
    s.observe(ce[3], kd[3]);
    const wKd = 1 - 0.2 / 1.9375;
    const w = s.weights(4);
    expect(w.alpha).toBeCloseTo(1 / (1 + wKd), 12);
    expect(w.beta).toBeCloseTo(wKd / (1 + wKd), 12);
    expect(w.alpha + w.beta).toBeCloseTo(1, 12);
  });

  it("clamps a rise of more than 100 % to weight 0", () => {
    const s = adaptiveAlpha(2);
    s.observe(1, 1);
    s.observe(1, 10); // KD trend = 9 / 5.5 > 1 → w_KD = 0
    expect(s.weights(2)).toEqual({ alpha: 1, beta: 0 });
  });

  it("falls back to 0.5/0.5 when both weights are 0 (the 0/0 guard)", () => {
    const s = adaptiveAlpha(2);
    s.observe(1, 1);
    s.observe(100, 100);
    expect(s.weights(2)).toEqual({ alpha: 0.5, beta: 0.5 });
  });

  it("treats an all-zero history as flat (trend 0, weights 1 and 1)", () => {
    const s = adaptiveAlpha(3);
    for (let i = 0; i < 3; i++) s.observe(0, 0);
    expect(s.weights(3)).toEqual({ alpha: 0.5, beta: 0.5 });
  });
});

describe("other schedules and modes", () => {
  it("fixed", () => {
    expect(fixedAlpha(0.3).weights(7)).toEqual({ alpha: 0.3, beta: 0.7 });
    expect(() => fixedAlpha(1.5)).toThrow(/\[0, 1\]/);
  });

  it("linear and cosine go from start to end", () => {
    const lin = annealedAlpha("linear", 1, 0, 11);
    expect(lin.weights(0).alpha).toBe(1);
    expect(lin.weights(5).alpha).toBeCloseTo(0.5, 12);
    expect(lin.weights(10).alpha).toBe(0);
    const cos = annealedAlpha("cosine", 1, 0, 11);
    expect(cos.weights(5).alpha).toBeCloseTo(0.5, 12);
    expect(cos.weights(1).alpha).toBeCloseTo((1 + Math.cos(Math.PI / 10)) / 2, 12);
  });

  it("step switches at the given fraction", () => {
    const s = stepAlpha(0.9, 0.1, 0.5, 10);
    expect(s.weights(4).alpha).toBe(0.9);
    expect(s.weights(5).alpha).toBe(0.1);
  });

  it("alternating mode: even steps CE only, odd steps KD only", () => {
    const s = fixedAlpha(0.5);
    expect(appliedWeights(s, "alternating", 0)).toEqual({ alpha: 1, beta: 0 });
    expect(appliedWeights(s, "alternating", 1)).toEqual({ alpha: 0, beta: 1 });
    expect(appliedWeights(s, "combined", 1)).toEqual({ alpha: 0.5, beta: 0.5 });
  });

  it("parses and validates specs", () => {
    expect(parseAlphaSpec("fixed:0.25")).toEqual({ kind: "fixed", alpha: 0.25 });
    expect(parseAlphaSpec("adaptive")).toEqual({ kind: "adaptive" });
    expect(parseAlphaSpec("step:1,0,0.5")).toEqual({ kind: "step", from: 1, to: 0, at: 0.5 });
    expect(createAlphaSchedule(parseAlphaSpec("cosine:1,0"), 3).weights(2).alpha).toBeCloseTo(
      0,
      12,
    );
    for (const bad of ["fixed", "fixed:x", "fixed:2", "linear:1", "nope:1", "adaptive:1"]) {
      expect(() => createAlphaSchedule(parseAlphaSpec(bad), 10)).toThrow();
    }
  });
});
