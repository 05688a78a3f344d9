import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVIDENCE_COLOURS, seriesColour } from "../src/app/chart-colours";

const css = readFileSync(join(import.meta.dirname, "..", "src", "app", "styles.css"), "utf8");
/** The custom properties the stylesheet defines with a light and a dark colour. */
const themed = new Set(
  [...css.matchAll(/(--[\w-]+):\s*light-dark\(#[0-9a-f]{6}, #[0-9a-f]{6}\);/g)].map((m) => m[1]),
);

describe("chart colours", () => {
  it("name stylesheet properties that have a light and a dark colour, cycling through all eight", () => {
    const used = Array.from({ length: 16 }, (_, i) => seriesColour(i));
    const names = used.map((v) => v.match(/^var\((--[\w-]+)\)$/)?.[1]);
    for (const name of [...names, ...Object.values(EVIDENCE_COLOURS).map((v) => v.slice(4, -1))])
      expect(themed.has(name ?? "")).toBe(true);
    expect(new Set(names).size).toBe(8);
    expect(seriesColour(8)).toBe(seriesColour(0));
  });
});
