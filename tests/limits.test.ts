/**
 * The code's limits: no source file over 400 lines, no import cycle (type-only imports included),
 * checked by dpdm on src/ and scripts/. The layering (ml ← workers ← app) is biome's (biome.json).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseCircular, parseDependencyTree } from "dpdm";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const MAX_LINES = 400;

/** Every TypeScript file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const FILES = ["src", "scripts"].flatMap((dir) => sources(join(ROOT, dir)));

describe("limits", () => {
  it(`keeps every file in src/ and scripts/ under ${MAX_LINES} lines`, () => {
    expect(FILES.length).toBeGreaterThan(50);
    const long = FILES.map((f) => ({
      file: relative(ROOT, f),
      lines: readFileSync(f, "utf8").split("\n").length - 1,
    })).filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it("has no import cycle, type-only imports included", async () => {
    const tree = await parseDependencyTree(
      FILES.map((f) => relative(ROOT, f)),
      { context: ROOT, transform: false, skipDynamicImports: false },
    );
    expect(Object.keys(tree).length).toBeGreaterThanOrEqual(FILES.length);
    expect(parseCircular(tree)).toEqual([]);
  });
});
