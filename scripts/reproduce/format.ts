/** How the report writes numbers, tables and charts. */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { Language } from "../../src/ml/languages";
import { chartsDir, type Experiment, out, quick } from "./options";

export const fmt = (v: number | undefined, digits = 2) =>
  v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);

export const pct = (v: number) => `${(100 * v).toFixed(2)} %`;

export const table = (header: string[], rows: (string | number)[][]) =>
  [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");

export async function chart(name: string, svg: string): Promise<string> {
  await mkdir(chartsDir, { recursive: true });
  await writeFile(join(chartsDir, `${name}.svg`), svg);
  return `![${name}](${relative(dirname(out), join(chartsDir, `${name}.svg`))})`;
}

/** "lower by x %" between two perplexities (positive: a is better). */
export const gain = (a: number, b: number) => 1 - a / b;

export type Say = (claim: string, agrees: boolean, detail: string) => void;

export const meanOf = (scores: Partial<Record<Language, number>>, langs: readonly Language[]) =>
  langs.reduce((s, l) => s + (scores[l] ?? Number.NaN), 0) / langs.length;

export const notRun = (heading: string, experiment: Experiment) => [
  heading,
  "",
  `Not run yet: \`npm run reproduce -- --only ${experiment}${quick ? " --quick" : ""}\`.`,
  "",
];
