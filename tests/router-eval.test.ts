import { describe, expect, it } from "vitest";
import { disagreementsWithEld, lengthTable, pythonMisses } from "../scripts/router-eval";
import {
  LANGUAGE_CLASSES,
  NONE,
  NONE_CLASS,
  type Router,
  type RouterExample,
} from "../src/ml/router";

/** A router that answers from a table, with the shipped default router's five classes. */
const tableRouter = (answers: Record<string, string>) =>
  ({
    classes: [...LANGUAGE_CLASSES, NONE_CLASS],
    route: (text: string) => ({ label: answers[text] }),
  }) as unknown as Router;

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
