import { describe, expect, it } from "vitest";
import {
  type ByLength,
  disagreementsWithEld,
  lengthTable,
  pythonMisses,
} from "../scripts/router-eval";
import { goalLine, routerGoals } from "../scripts/router-goals";
import {
  LANGUAGE_CLASSES,
  NONE,
  NONE_CLASS,
  type Router,
  type RouterExample,
} from "../src/ml/router";

/**
 * A router that answers from a table, with the shipped default router's five classes: all its
 * probability on the answer, none included.
 */
const tableRouter = (answers: Record<string, string>) => {
  const decide = (text: string) => ({
    label: answers[text],
    probs: Object.fromEntries(
      [...LANGUAGE_CLASSES, NONE_CLASS].map((c) => [c.id, Number(c.id === answers[text])]),
    ),
  });
  return {
    classes: [...LANGUAGE_CLASSES, NONE_CLASS],
    route: decide,
    predict: (e: RouterExample) => decide(e.text as string),
  } as unknown as Router;
};

const example = (text: string, label: string): RouterExample => ({ ids: [], text, label });

describe("where the router and eld differ", () => {
  it("counts texts only eld gets right by what the router said, and texts only it gets right", () => {
    const prose = new Map([
      [
        20,
        [
          example("a", "en"), // both right
          example("b", "en"), // ours fr, eld right
          example("c", "fr"), // ours py, eld right
          example("d", "de"), // ours none, eld right
          example("e", "de"), // ours py, eld wrong too: counted nowhere
          example("f", "fr"), // ours right, eld wrong
        ],
      ],
      [50, [example("g", "en")]], // ours py, eld right
    ]);
    const ours = { a: "en", b: "fr", c: "py", d: NONE, e: "py", f: "fr", g: "py" };
    const eld = { a: "en", b: "en", c: "fr", d: "de", e: "en", f: "de", g: "en" };
    const rows = disagreementsWithEld(
      tableRouter(ours),
      prose,
      () => [],
      (text) => eld[text as keyof typeof eld],
    );
    expect(Object.fromEntries(rows)).toEqual({
      "right only for eld; ours said another language": { 20: 1, 50: 0 },
      "right only for eld; ours said a code class": { 20: 1, 50: 1 },
      "right only for eld; ours said none of these": { 20: 1, 50: 0 },
      "right only for ours": { 20: 1, 50: 0 },
    });
    expect(lengthTable(rows, (v) => String(v))).toContain(
      "| right only for eld; ours said a code class | 1 | 1 |",
    );
  });
});

describe("the Python texts the router misses", () => {
  it("counts them by length and by what the router said: none, or a prose language", () => {
    const python = new Map([
      [100, [example("a", "py"), example("b", "py"), example("c", "py"), example("d", "py")]],
      [300, [example("e", "py")]],
    ]);
    const ours = { a: "py", b: NONE, c: "en", d: "de", e: NONE };
    const rows = pythonMisses(tableRouter(ours), python, () => []);
    expect(Object.fromEntries(rows)).toEqual({
      "Python texts called none of these": { 100: 1, 300: 1 },
      "Python texts called en, fr or de": { 100: 2, 300: 0 },
    });
  });
});

describe("the router's goals", () => {
  // Sentences eld (en/fr/de) gets right, so each goal's outcome is the table router's.
  const EN = "The children walked home slowly through the quiet streets of the old town.";
  const FR = "Les enfants sont rentrés lentement à la maison par les rues tranquilles.";
  const DE = "Die Kinder gingen langsam durch die ruhigen Straßen der Altstadt nach Hause.";
  const PY = "def area(r):\n    return 3.14159 * r * r\n\nprint(area(2.0))\n";
  const set = (texts: [string, string][], length: number): Map<string, ByLength> =>
    new Map(texts.map(([text, label]) => [label, new Map([[length, [example(text, label)]]])]));

  it("holds each against its target, with the evidence beside the figure", () => {
    const goals = routerGoals(
      tableRouter({ [EN]: "en", [FR]: "fr", [DE]: NONE, [PY]: "py", es: NONE, js: "en" }),
      {
        validation: set(
          [
            [EN, "en"],
            [FR, "fr"],
            [PY, "py"],
          ],
          100,
        ),
        outOfDomain: set(
          [
            [EN, "en"],
            [DE, "de"],
            [PY, "py"],
          ],
          100,
        ),
        outOfDomain2: set([[FR, "fr"]], 100),
        none: set(
          [
            ["es", "es"],
            ["js", "js"],
          ],
          100,
        ),
        otherScripts: new Map(),
      },
      () => [],
    );
    const byGoal = Object.fromEntries(goals.map((g) => [g.goal, g]));
    expect(byGoal["router, en/fr/de validation, 100 characters"]).toMatchObject({
      met: true,
      figure: "100.0 %",
      target: "≥ eld (100.0 %)",
      onlyOursOnlyEld: "0 / 0",
    });
    // German called none: eld alone gets it right.
    expect(byGoal["router, en/fr/de out-of-domain, 100 characters"]).toMatchObject({
      met: false,
      figure: "50.0 %",
      onlyOursOnlyEld: "0 / 1",
    });
    expect(byGoal["router, Python out-of-domain, 100 characters"]).toMatchObject({
      met: true,
      figure: "100.0 %",
      target: "≥ 99 %",
    });
    // The first out-of-domain set: en, de and py, of which de is called none.
    expect(
      byGoal["router, en/fr/de/py out-of-domain texts called none, 100 characters"],
    ).toMatchObject({
      met: false,
      figure: "33.3 %",
      target: "≤ 1 %",
    });
    expect(byGoal["router, other languages and code called none, 100 characters"]).toMatchObject({
      met: false,
      figure: "50.0 %",
    });
    expect(goalLine(byGoal["router, Python out-of-domain, 100 characters"])).toBe(
      "router, Python out-of-domain, 100 characters: 100.0 % (1/1, 95 % interval 20.7 %–100.0 %; goal ≥ 99 %)",
    );
  });
});
