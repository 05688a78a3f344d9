import { describe, expect, it } from "vitest";
import { mcnemarExact, pairedComparison, wilsonInterval } from "../src/ml/stats";

describe("wilsonInterval", () => {
  it("matches a hand-computed interval", () => {
    // 8/10, z = 1.96: centre (0.8 + 0.19208) / 1.38416, half 1.96 · √(0.016 + 0.009604) / 1.38416.
    const [low, high] = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(0.49016, 4);
    expect(high).toBeCloseTo(0.94332, 4);
  });

  it("stays inside [0, 1] at 0 % and 100 %, and narrows with more texts", () => {
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(10, 10)[1]).toBeLessThanOrEqual(1);
    expect(wilsonInterval(10, 10)[0]).toBeCloseTo(0.72247, 4);
    const [a, b] = wilsonInterval(80, 100);
    const [c, d] = wilsonInterval(800, 1000);
    expect(d - c).toBeLessThan(b - a);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});

describe("mcnemarExact", () => {
  it("matches hand-computed binomial tails", () => {
    expect(mcnemarExact(1, 9)).toBeCloseTo(22 / 1024, 12); // 2 · (1 + 10) / 2^10
    expect(mcnemarExact(9, 1)).toBeCloseTo(22 / 1024, 12);
    expect(mcnemarExact(0, 5)).toBeCloseTo(2 / 32, 12);
    expect(mcnemarExact(3, 3)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
  });

  it("stays finite and small for large, lopsided counts (where 2^-n underflows)", () => {
    const p = mcnemarExact(100, 1200);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-100);
    expect(mcnemarExact(600, 600)).toBe(1);
  });
});

describe("pairedComparison", () => {
  it("counts each side's accuracy and the items only one gets right", () => {
    const right = (a: number, b: number) => [a === 1, b === 1] as const;
    // 10 items: both right ×5, only A ×1, only B ×3, both wrong ×1.
    const outcomes = [
      ...Array.from({ length: 5 }, () => right(1, 1)),
      right(1, 0),
      right(0, 1),
      right(0, 1),
      right(0, 1),
      right(0, 0),
    ];
    expect(pairedComparison(outcomes)).toEqual({
      a: 0.6,
      b: 0.8,
      onlyA: 1,
      onlyB: 3,
      p: mcnemarExact(1, 3),
    });
    expect(mcnemarExact(1, 3)).toBeCloseTo(10 / 16, 12); // 2 · (1 + 4) / 2^4
    expect(pairedComparison([])).toEqual({ a: 0, b: 0, onlyA: 0, onlyB: 0, p: 1 });
  });
});
