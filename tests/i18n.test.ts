/** The UI's catalogues: the same keys in every language, each used, each translated; the choice of language. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseUiLanguage, numberFormat } from "../src/app/i18n";
import { type Catalogue, OFFERED_UI_LANGUAGES, UI_LANGUAGES } from "../src/app/i18n/catalogues";
import en from "../src/app/i18n/locales/en.json";

const APP = join(import.meta.dirname, "..", "src", "app");
/** Texts that may be the same in another language: names, keys, and the glossary's loanwords. */
const SAME_EVERYWHERE = new Set([
  "MoME Lab",
  "Menu",
  "OK",
  "Routing",
  "Router",
  "Python",
  "JavaScript",
  "← →",
  "G",
  "?",
  "Esc",
  "Mode",
  "{{name}} ({{kind}}, {{size}} kB)",
  "{{file}}: {{problem}}",
]);

/** The app's code. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.tsx?$/.test(e.name)
        ? [readFileSync(join(dir, e.name), "utf8")]
        : [],
  );
}

describe("the UI's catalogues", () => {
  const keys = Object.keys(en).sort() as (keyof Catalogue)[];

  it("give every language the same keys, each translated (names aside)", () => {
    for (const [id, { catalogue }] of Object.entries(UI_LANGUAGES) as [
      string,
      { catalogue: Catalogue },
    ][]) {
      expect(Object.keys(catalogue).sort(), id).toEqual(keys);
      expect(
        keys.filter((k) => catalogue[k].trim() === ""),
        id,
      ).toEqual([]);
      if (id === "en") continue;
      const untranslated = keys.filter(
        (k) => catalogue[k] === en[k] && !SAME_EVERYWHERE.has(en[k]),
      );
      expect(untranslated, id).toEqual([]);
    }
  });

  it("hold no key the code never uses", () => {
    const code = sources(APP).join("\n");
    // A plural is looked up by its stem: "runs" for runs_one and runs_other.
    const stem = (k: string) => k.replace(/_(one|other)$/, "");
    expect(keys.filter((k) => !code.includes(`"${stem(k)}"`))).toEqual([]);
  });
});

describe("numbers", () => {
  it("are written the language's way", () => {
    const space = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
    expect(numberFormat("en").percent(0.999)).toBe("99.9%");
    expect(space(numberFormat("fr").percent(0.999))).toBe("99,9 %");
    expect(space(numberFormat("de").percent(0.9995, 2))).toBe("99,95 %");
    expect(space(numberFormat("de").number(1234.5, 1))).toBe("1.234,5");
  });
});

describe("the UI's language", () => {
  it("is the link's, else the one kept here, else the browser's first offered, else English", () => {
    expect(chooseUiLanguage("de", "fr", ["fr-FR"])).toBe("de");
    expect(chooseUiLanguage("", null, ["xx", "en-GB"])).toBe("en");
    expect(chooseUiLanguage("", null, [])).toBe("en");
    for (const id of Object.keys(UI_LANGUAGES)) {
      const offered = OFFERED_UI_LANGUAGES.includes(id as never);
      expect(chooseUiLanguage("", id, []), `kept ${id}`).toBe(offered ? id : "en");
      expect(chooseUiLanguage("", null, [`${id}-XX`]), `browser ${id}`).toBe(offered ? id : "en");
    }
  });
});
