import { afterEach, describe, expect, it, vi } from "vitest";
import { showInAddressBar, textsKeptOutOfAddress } from "../src/app/address-bar";
import { translate } from "../src/app/i18n";
import { type Message, say } from "../src/app/i18n/message";
import {
  defaultSettings,
  leftOutOfLink,
  linkSize,
  MAX_LINK_BYTES,
  parseSettings,
  serializeSettings,
  settingsLink,
} from "../src/app/settings";

/** A problem as the English UI words it. */
const english = (m: Message) => say(translate, m);

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
    expect(problems.map(english)).toEqual([
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
      expect(problems.map(english)).toEqual([
        '"z" is not a compressed link; the defaults are used',
      ]);
    }
  });

  it('reads "-0" as 0, so the link written back is the one read', () => {
    expect(parseSettings("?topK=-0").settings.topK).toBe(0);
    expect(Object.is(parseSettings("?alpha=-0").settings.alpha, 0)).toBe(true);
  });
});

/** `length` characters drawn from `alphabet` (strings of whole code points), reproducibly. */
function textOf(alphabet: string[], length: number, seed = 11): string {
  let state = seed;
  return Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return alphabet[state % alphabet.length];
  }).join("");
}
/** Every code point from `first` to `last`. */
const range = (first: number, last: number) =>
  Array.from({ length: last - first + 1 }, (_, i) => String.fromCodePoint(first + i));
/** 5,000 characters of each: compressed, Chinese and emoji stay over 8 kB, lower-case Cyrillic fits. */
const LONG_TEXTS = {
  Chinese: textOf(range(0x4e00, 0x9fff), 5000),
  Cyrillic: textOf([...range(0x0430, 0x044f), " "], 5000),
  emoji: textOf(range(0x1f300, 0x1f64f), 5000),
};

describe("texts too long for a link", () => {
  const base = "https://example.org/mome-lab/";

  it.each(Object.entries(LONG_TEXTS))(
    "keeps the link to 5,000 characters of %s under 8 kB, carrying the text only where it fits",
    (script, text) => {
      expect([...text].length).toBe(5000);
      const settings = { ...defaultSettings(), text, panel: "compare" as const, topK: 7 };
      const { url, leftOut } = settingsLink(base, settings);
      expect(new TextEncoder().encode(url).length).toBeLessThanOrEqual(MAX_LINK_BYTES);
      const read = parseSettings(new URL(url).search).settings;
      if (script === "Cyrillic") {
        expect(leftOut).toEqual([]);
        expect(read).toEqual(settings);
      } else {
        expect(linkSize(`${base}${serializeSettings(settings)}`).tooLong).toBe(true);
        expect(leftOut).toEqual(["text"]);
        expect(read).toEqual({ ...settings, text: "" });
      }
    },
  );

  it("carries a text that fits, and leaves out only as much as it must, the longest first", () => {
    const short = { ...defaultSettings(), text: "Bonjour", prompt: "def f():" };
    expect(settingsLink(base, short)).toEqual({
      url: `${base}${serializeSettings(short)}`,
      leftOut: [],
    });
    const both = { ...defaultSettings(), text: LONG_TEXTS.Chinese, prompt: "Guten Tag" };
    expect(settingsLink(base, both).leftOut).toEqual(["text"]);
    expect(leftOutOfLink(["text", "prompt"], translate)).toBe(
      "The link doesn't carry the text to route and the prompt: too long for a link (over 8 kB).",
    );
    expect(leftOutOfLink([], translate)).toBeNull();
  });
});

describe("the address bar", () => {
  /** A tab: its address, history and session storage. */
  function tab(address: string) {
    const url = new URL(address);
    const location = { origin: url.origin, pathname: url.pathname, search: url.search, hash: "" };
    const items = new Map<string, string>();
    vi.stubGlobal("location", location);
    vi.stubGlobal("history", {
      replaceState: (_: unknown, __: string, to: string) => {
        location.search = new URL(to, url.origin).search;
      },
    });
    vi.stubGlobal("sessionStorage", {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => items.set(key, value),
      removeItem: (key: string) => items.delete(key),
    });
    return location;
  }
  afterEach(() => vi.unstubAllGlobals());

  it("keeps a text too long for it in the tab, and gives it back only at that address", () => {
    const location = tab("https://example.org/mome-lab/");
    const settings = { ...defaultSettings(), text: LONG_TEXTS.emoji, topK: 7 };
    expect(showInAddressBar(settings)).toEqual(["text"]);
    expect(location.search).toBe("?topK=7");
    expect(textsKeptOutOfAddress()).toEqual({ text: LONG_TEXTS.emoji });
    // Another address (a link opened later in this tab) does not get it.
    location.search = "?topK=8";
    expect(textsKeptOutOfAddress()).toEqual({});
    // A text that fits goes back into the address, and nothing is kept any more.
    location.search = "?topK=7";
    expect(showInAddressBar({ ...settings, text: "Hallo" })).toEqual([]);
    expect(location.search).toBe("?text=Hallo&topK=7");
    expect(textsKeptOutOfAddress()).toEqual({});
  });

  it("checks a kept text as a link's, and reads nothing from damaged storage", () => {
    tab("https://example.org/");
    for (const stored of ["{not json", JSON.stringify({ address: "/", texts: { text: 5 } })]) {
      sessionStorage.setItem("mome-lab:texts-out-of-the-address", stored);
      expect(textsKeptOutOfAddress()).toEqual({});
    }
    const tooLong = "x".repeat(5001);
    sessionStorage.setItem(
      "mome-lab:texts-out-of-the-address",
      JSON.stringify({ address: "/", texts: { text: tooLong, prompt: "ok" } }),
    );
    expect(textsKeptOutOfAddress()).toEqual({ prompt: "ok" });
  });
});
