import { describe, expect, it } from "vitest";
import { defaultSettings, linkSize, parseSettings, serializeSettings } from "../src/app/settings";

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

describe("long links", () => {
  // 5000 characters of Cyrillic words: 55 kB percent-encoded, which hosts refuse (431).
  const words = ["привет", "мир", "таблица", "меню", "вставить", "строка", "столбец", "документ"];
  let seed = 7;
  const cyrillic = Array.from({ length: 900 }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return words[seed % words.length];
  })
    .join(" ")
    .slice(0, 5000);

  it("sends a long query compressed, sized by bytes, and reads it back unchanged", () => {
    const settings = { ...defaultSettings(), text: cyrillic, panel: "route" as const };
    const plain = new URLSearchParams({ text: cyrillic }).toString();
    expect(linkSize(`?${plain}`).tooLong).toBe(true);
    const query = serializeSettings(settings);
    expect(query.startsWith("?z=")).toBe(true);
    expect(linkSize(query).tooLong).toBe(false);
    expect(parseSettings(query)).toEqual({ settings, problems: [] });
    expect(serializeSettings(defaultSettings())).toBe(""); // short links stay readable
    expect(serializeSettings({ ...defaultSettings(), topK: 7 })).toBe("?topK=7");
  });

  it("falls back to the defaults on a damaged compressed link", () => {
    for (const damaged of ["?z=%%%not-lz", "?z=y"]) {
      // lz-string throws on "y" (found by the property tests): the link still opens.
      const { settings, problems } = parseSettings(damaged);
      expect(settings).toEqual(defaultSettings());
      expect(problems).toEqual(['"z" is not a compressed link; the defaults are used']);
    }
  });

  it('reads "-0" as 0, so the link written back is the one read', () => {
    expect(parseSettings("?topK=-0").settings.topK).toBe(0);
    expect(Object.is(parseSettings("?alpha=-0").settings.alpha, 0)).toBe(true);
  });
});
