import { describe, expect, it } from "vitest";
import { defaultSettings, parseSettings, serializeSettings } from "../src/app/settings";

describe("shareable settings", () => {
  it("round-trip through the URL, writing only what differs from the defaults", () => {
    const settings = {
      ...defaultSettings(),
      panel: "train" as const,
      alpha: 0.25,
      steps: 300,
      text: "Grüß Gott & <b>hi</b>\n?",
    };
    const query = serializeSettings(settings);
    expect(query).not.toContain("temperature");
    expect(parseSettings(query)).toEqual({ settings, problems: [] });
    expect(serializeSettings(defaultSettings())).toBe("");
  });

  it("refuse hostile and malformed values, keeping the defaults and saying why", () => {
    const { settings, problems } = parseSettings(
      "?panel=<script>alert(1)</script>&alpha=NaN&steps=1e999&temperature=0x1&topK=2.5&seed=-3&learningRate=&__proto__=x&panel=about&prompt=" +
        "x".repeat(1001),
    );
    expect(settings).toEqual(defaultSettings());
    expect(problems).toEqual([
      '"panel" must be one of route, compare, train, forget, add, about; the default is used',
      '"alpha" is not a number; the default is used',
      '"steps" is not a finite number; the default is used',
      '"temperature" is not a number; the default is used',
      '"topK" must be a whole number; the default is used',
      '"seed" must be between 0 and 2147483647; the default is used',
      '"learningRate" is not a number; the default is used',
      'unknown setting "__proto__" ignored',
      '"panel" is given twice; the first value is used',
      '"prompt" is longer than 1000 characters; the default is used',
    ]);
    expect(Object.getPrototypeOf(settings)).toBe(Object.prototype);
  });

  it("accept boundary values", () => {
    const { settings, problems } = parseSettings(
      "?alpha=0&temperature=2&learningRate=1e-5&steps=5000",
    );
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ alpha: 0, temperature: 2, learningRate: 1e-5, steps: 5000 });
  });
});
