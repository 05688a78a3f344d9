/**
 * The router's evaluation sets and scores, shared by the pipeline (`models -- router`, `gates`)
 * and `bench --router`: validation (data/val), out-of-domain (data/router/ood, packages never
 * trained on), a second out-of-domain set that guided no choice but AdaGrad's rate (data/router/ood2) and "none of
 * these" (data/router/none: other languages and other code; data/router/scripts: languages in
 * other scripts).
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { eld } from "eld/large";
import { LANGUAGES, PROSE_LANGUAGES } from "../src/ml/languages";
import { ROUTER_EVAL_SNIPPETS, ROUTER_OUT_OF_DOMAIN_SNIPPETS } from "../src/ml/presets";
import {
  accuracyByLength,
  evalSnippets,
  NONE,
  noneRateByLength,
  Router,
  type RouterExample,
} from "../src/ml/router";

const ROOT = join(import.meta.dirname, "..");

const ROUTER_DATA = join(ROOT, "data", "router");

export type ByLength = Map<number, RouterExample[]>;

export interface RouterEvalSets {
  /** Per language: held-out validation snippets (same sources as training). */
  validation: Map<string, ByLength>;
  /** Per language: snippets from packages the router never trains on. */
  outOfDomain: Map<string, ByLength>;
  /** The same from other packages, built after the router's choices were made: only for scoring. */
  outOfDomain2: Map<string, ByLength>;
  /** Per tag (es, it, js, c, nl, pl, pt, sh): text of none of the classes, labelled none. */
  none: Map<string, ByLength>;
  /**
   * Per tag (ru, ar, zh; ka, hy, ta, bn never trained on): languages in other scripts, from
   * packages the router never trains on, labelled none.
   */
  otherScripts: Map<string, ByLength>;
}

/** Tags of "none" text from languages or packages the router never trains on. */
export const UNSEEN_NONE = ["es", "it", "js", "c"];

async function readSets(
  dir: string,
  label: (tag: string) => string,
  encode: (s: string) => number[],
): Promise<Map<string, ByLength>> {
  const out = new Map<string, ByLength>();
  const files = (await readdir(dir)).filter((f) => f.endsWith(".txt")).sort();
  for (const file of files) {
    const tag = file.replace(/\.txt$/, "");
    const text = await readFile(join(dir, file), "utf8");
    out.set(tag, evalSnippets(text, label(tag), encode, ROUTER_OUT_OF_DOMAIN_SNIPPETS));
  }
  return out;
}

export async function loadRouterEvalSets(encode: (s: string) => number[]): Promise<RouterEvalSets> {
  const validation = new Map<string, ByLength>();
  for (const lang of LANGUAGES) {
    const text = await readFile(join(ROOT, "data", "val", `${lang}.txt`), "utf8");
    validation.set(lang, evalSnippets(text, lang, encode, ROUTER_EVAL_SNIPPETS));
  }
  return {
    validation,
    outOfDomain: await readSets(join(ROUTER_DATA, "ood"), (tag) => tag, encode),
    outOfDomain2: await readSets(join(ROUTER_DATA, "ood2"), (tag) => tag, encode),
    none: await readSets(join(ROUTER_DATA, "none"), () => NONE, encode),
    otherScripts: await readSets(join(ROUTER_DATA, "scripts"), () => NONE, encode),
  };
}

/** Every set's examples merged by length, over the chosen tags. */
export function mergeByLength(sets: Map<string, ByLength>, tags?: readonly string[]): ByLength {
  const out: ByLength = new Map();
  for (const [tag, byLength] of sets) {
    if (tags && !tags.includes(tag)) continue;
    for (const [length, examples] of byLength)
      out.set(length, [...(out.get(length) ?? []), ...examples]);
  }
  return out;
}

export interface RouterEvaluation {
  /** 4-language accuracy by length (a text must get its own language, not none). */
  validation: Record<number, number>;
  outOfDomain: Record<number, number>;
  outOfDomain2: Record<number, number>;
  /** Texts of our languages called none, by length (out-of-domain set). */
  falseNone: Record<number, number>;
  /** Texts of other languages and code called none, by length: all, and never-trained-on only. */
  trueNone: Record<number, number>;
  trueNoneUnseen: Record<number, number>;
  /** Per none tag: share called none at ≥ 100 characters. */
  trueNoneByTag: Record<string, number>;
  /** Languages in other scripts called none, by length. */
  otherScriptsNone: Record<number, number>;
}

export function evaluateRouter(router: Router, sets: RouterEvalSets): RouterEvaluation {
  const ood = mergeByLength(sets.outOfDomain);
  const hasNone = router.classes.some((c) => c.expert === null);
  const noneAt100 = (byLength: ByLength) => {
    const long = [...byLength].filter(([l]) => l >= 100).flatMap(([, e]) => e);
    return long.filter((e) => router.predict(e).label === NONE).length / Math.max(1, long.length);
  };
  return {
    validation: accuracyByLength(router, mergeByLength(sets.validation)),
    outOfDomain: accuracyByLength(router, ood),
    outOfDomain2: accuracyByLength(router, mergeByLength(sets.outOfDomain2)),
    falseNone: noneRateByLength(router, ood),
    trueNone: hasNone ? noneRateByLength(router, mergeByLength(sets.none)) : {},
    trueNoneUnseen: hasNone ? noneRateByLength(router, mergeByLength(sets.none, UNSEEN_NONE)) : {},
    trueNoneByTag: hasNone
      ? Object.fromEntries([...sets.none].map(([tag, b]) => [tag, noneAt100(b)]))
      : {},
    otherScriptsNone: hasNone ? noneRateByLength(router, mergeByLength(sets.otherScripts)) : {},
  };
}

export const pct = (v: number | undefined) => (v === undefined ? "—" : `${(100 * v).toFixed(1)} %`);

/** A Markdown table of accuracy (or another rate, or a count) by length, one row per named series. */
export function lengthTable(
  rows: [string, Record<number, number>][],
  format: (v: number | undefined) => string = pct,
): string {
  const lengths = [...new Set(rows.flatMap(([, r]) => Object.keys(r).map(Number)))].sort(
    (a, b) => a - b,
  );
  return [
    `| | ${lengths.map((l) => `${l} chars`).join(" | ")} |`,
    `|---|${lengths.map(() => "---").join("|")}|`,
    ...rows.map(([name, r]) => `| ${name} | ${lengths.map((l) => format(r[l])).join(" | ")} |`),
  ].join("\n");
}

/** The prose languages, as the labels the sets and detectors use. */
export const PROSE: string[] = [...PROSE_LANGUAGES];

/** Share of texts a detector labels with their own label, by length. */
export function accuracy(
  byLength: ByLength,
  detect: (text: string) => string,
): Record<number, number> {
  const out: Record<number, number> = {};
  for (const [length, examples] of byLength)
    out[length] =
      examples.filter((e) => detect(e.text as string) === e.label).length /
      Math.max(1, examples.length);
  return out;
}

/**
 * Where a router's full decision and eld part ways on en/fr/de texts, by length: texts only eld
 * gets right, by what the router said instead (another language, a code class, none), and
 * texts only the router gets right.
 */
export function disagreementsWithEld(
  router: Router,
  prose: ByLength,
  encode: (s: string) => number[],
  detectEld: (text: string) => string,
): [string, Record<number, number>][] {
  const rows: [string, Record<number, number>][] = [
    "right only for eld; ours said another language",
    "right only for eld; ours said a code class",
    "right only for eld; ours said none of these",
    "right only for ours",
  ].map((name) => [name, {}]);
  const [otherLanguage, codeClass, none, oursOnly] = rows.map(([, counts]) => counts);
  for (const [length, examples] of prose) {
    for (const [, counts] of rows) counts[length] = 0;
    for (const e of examples) {
      const text = e.text as string;
      const ours = router.route(text, encode).label;
      const eldRight = detectEld(text) === e.label;
      if (ours === e.label) oursOnly[length] += Number(!eldRight);
      else if (!eldRight) continue;
      else if (ours === NONE) none[length]++;
      else if (router.classes.find((c) => c.id === ours)?.layout === "code") codeClass[length]++;
      else otherLanguage[length]++;
    }
  }
  return rows;
}

/**
 * The Python texts a router gets wrong, by length and by what it said instead: none of these (the
 * usual miss out of domain: C, shell-style option help or word lists inside a .py file) or one
 * of en/fr/de (a comment or a licence).
 */
export function pythonMisses(
  router: Router,
  python: ByLength,
  encode: (s: string) => number[],
): [string, Record<number, number>][] {
  const rows: [string, Record<number, number>][] = [
    "Python texts called none of these",
    "Python texts called en, fr or de",
  ].map((name) => [name, {}]);
  const [none, prose] = rows.map(([, counts]) => counts);
  for (const [length, examples] of python) {
    none[length] = 0;
    prose[length] = 0;
    for (const e of examples) {
      const text = e.text as string;
      const label = router.route(text, encode).label;
      if (label === NONE) none[length]++;
      else if (PROSE.includes(label)) prose[length]++;
    }
  }
  return rows;
}

/** The router asked what eld is asked: which of en, fr and de (no Python, no "none of these"). */
export function amongProse(router: Router, encode: (s: string) => number[]) {
  return (text: string) => {
    const { probs } = router.route(text, encode);
    return PROSE.reduce((best, id) => (probs[id] > probs[best] ? id : best));
  };
}

/** eld (large database) limited to en/fr/de, as a detect function: the yardstick for prose. */
export function eldDetector(): (text: string) => string {
  eld.setLanguageSubset(PROSE);
  return (text) => eld.detect(text).language;
}

const MODELS = join(ROOT, "public", "models");

/** The two shipped routers, named for tables: the default one, then the paper's. */
export async function shippedRouters(): Promise<[string, Router][]> {
  const read = async (name: string) =>
    Router.fromJSON(JSON.parse(await readFile(join(MODELS, name), "utf8")));
  return [
    [
      "ours (default: tokens + character n-grams + line layout + scripts, none)",
      await read("router.json"),
    ],
    ["ours (the paper's: token TF-IDF)", await read("router-paper.json")],
  ];
}

/**
 * Markdown: en/fr/de accuracy by length for the routers beside eld (validation and out-of-domain),
 * Python by length, and the first router's "none of these" rates.
 */
export function accuracyTables(
  routers: [string, Router][],
  sets: RouterEvalSets,
  encode: (s: string) => number[],
  heading: string,
): string[] {
  const out: string[] = [];
  const eldDetect = eldDetector();
  const route = (router: Router) => (text: string) => router.route(text, encode).label;
  const [defaultName, defaultRouter] = routers[0];
  for (const [setName, set] of [
    ["validation (data/val)", sets.validation],
    ["out-of-domain (data/router/ood: packages never trained on)", sets.outOfDomain],
    [
      "second out-of-domain (data/router/ood2: other packages never trained on, used only to score)",
      sets.outOfDomain2,
    ],
  ] as const) {
    const prose = mergeByLength(set, PROSE);
    out.push(
      `${heading} en/fr/de, ${setName}: accuracy by length (ours: the full decision among all its classes, unless asked as eld is; eld: among en/fr/de)`,
      "",
      lengthTable([
        ...routers.map(([name, r]): [string, Record<number, number>] => [
          name,
          accuracy(prose, route(r)),
        ]),
        [
          `${defaultName}, asked as eld is: among en/fr/de`,
          accuracy(prose, amongProse(defaultRouter, encode)),
        ],
        ["eld 2.1 (large, en/fr/de subset)", accuracy(prose, eldDetect)],
      ]),
      "",
      `Texts where the default router's full decision and eld differ, ${setName} (counts of en/fr/de texts):`,
      "",
      lengthTable(disagreementsWithEld(defaultRouter, prose, encode, eldDetect), (v) =>
        String(v ?? "—"),
      ),
      "",
      `Python, ${setName}:`,
      "",
      lengthTable(
        routers.map(([name, r]) => [name, accuracy(set.get("py") ?? new Map(), route(r))]),
      ),
      "",
      `Python texts the default router gets wrong, ${setName}, by what it said (counts):`,
      "",
      lengthTable(pythonMisses(defaultRouter, set.get("py") ?? new Map(), encode), (v) =>
        String(v ?? "—"),
      ),
      "",
    );
  }
  const result = evaluateRouter(routers[0][1], sets);
  out.push(
    `${heading} "None of these" (the default router)`,
    "",
    lengthTable([
      ["en/fr/de/py out-of-domain texts called none (goal ≤ 1 % from 50)", result.falseNone],
      ["other languages and code called none (goal ≥ 90 % from 100)", result.trueNone],
      ["of those, never trained on (es, it, acorn JS, zlib C)", result.trueNoneUnseen],
      [
        "languages in other scripts called none (GTK and GLib: ru, ar, zh; scripts never trained on: ka, hy, ta, bn)",
        result.otherScriptsNone,
      ],
    ]),
    "",
    `Called none at ≥ 100 characters, by kind: ${Object.entries(result.trueNoneByTag)
      .map(([tag, v]) => `${tag} ${(100 * v).toFixed(1)} %`)
      .join(", ")}`,
    "",
  );
  return out;
}
