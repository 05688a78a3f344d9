/** The UI's catalogues: the same keys in every language, each used, each translated; the choice of language. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseUiLanguage } from "../src/app/i18n";
import { OFFERED_UI_LANGUAGES, UI_LANGUAGES } from "../src/app/i18n/catalogues";
import { en } from "../src/app/i18n/en";

const APP = join(import.meta.dirname, "..", "src", "app");
/** Texts that are the same in every language: names. */
const SAME_EVERYWHERE = new Set(["MoME Lab", "Menu", "OK", "Routing", "Python"]);

/** The app's code, less the catalogues themselves. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : /\.tsx?$/.test(e.name) &&
          !(e.name.replace(/\.ts$/, "") in UI_LANGUAGES || e.name === "catalogues.ts")
        ? [readFileSync(join(dir, e.name), "utf8")]
        : [],
  );
}

describe("the UI's catalogues", () => {
  const keys = Object.keys(en).sort();

  it("give every language the same keys, each translated (names aside)", () => {
    for (const [id, { catalogue }] of Object.entries(UI_LANGUAGES)) {
      expect(Object.keys(catalogue).sort(), id).toEqual(keys);
      if (id === "en") continue;
      const untranslated = keys.filter(
        (k) =>
          catalogue[k as keyof typeof en] === en[k as keyof typeof en] &&
          !SAME_EVERYWHERE.has(en[k as keyof typeof en]),
      );
      expect(untranslated, id).toEqual([]);
    }
  });

  it("hold no key the code never uses", () => {
    const code = sources(APP).join("\n");
    expect(keys.filter((k) => !code.includes(`"${k}"`))).toEqual([]);
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
