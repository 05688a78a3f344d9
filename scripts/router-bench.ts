/**
 * `npm run bench -- --router`: the shipped routers beside eld (the `eld` package, large database,
 * limited to en/fr/de) on the same texts, in one run: accuracy by length on validation and on the
 * out-of-domain set, Python, "none of these", and texts per second (tokenizing included).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Router } from "../src/ml/router";
import { BpeTokenizer } from "../src/ml/tokenizer";
import {
  accuracyTables,
  type ByLength,
  eldDetector,
  loadRouterEvalSets,
  mergeByLength,
  PROSE,
  shippedRouters,
} from "./router-eval";

const MODELS = join(import.meta.dirname, "..", "public", "models");

const readJson = async (name: string) => JSON.parse(await readFile(join(MODELS, name), "utf8"));

/**
 * Texts per second over `texts`, best of three rounds, each after a warm-up on other texts (the
 * JIT): a first pass with a fresh `make()` (cold caches) and a second pass with the same one.
 */
function textsPerSecond(texts: string[], warmUp: string[], make: () => (text: string) => unknown) {
  const pass = (detect: (text: string) => unknown) => {
    const started = performance.now();
    for (const t of texts) detect(t);
    return texts.length / ((performance.now() - started) / 1000);
  };
  let first = 0;
  let second = 0;
  for (let round = 0; round < 3; round++) {
    const detect = make();
    for (const t of warmUp) detect(t);
    first = Math.max(first, pass(detect));
    second = Math.max(second, pass(detect));
  }
  return { first, second };
}

export async function runRouterBench(): Promise<void> {
  const tokenizerJson = await readJson("tokenizer.json");
  const tokenizer = new BpeTokenizer(tokenizerJson);
  const routers = await shippedRouters();
  const eldDetect = eldDetector();
  const sets = await loadRouterEvalSets((s) => tokenizer.encode(s));
  const route = (router: Router, tk: BpeTokenizer) => (text: string) =>
    router.route(text, (s) => tk.encode(s)).label;
  const out = accuracyTables(routers, sets, (s) => tokenizer.encode(s), "###");
  // Speed: every out-of-domain en/fr/de text; warm-up on the validation texts.
  const textsOf = (set: Map<string, ByLength>) =>
    [...mergeByLength(set, PROSE).values()].flat().map((e) => e.text as string);
  const texts = textsOf(sets.outOfDomain);
  const warmUp = textsOf(sets.validation);
  const speed: string[] = [];
  for (const [name, r] of routers) {
    const s = textsPerSecond(texts, warmUp, () => route(r, new BpeTokenizer(tokenizerJson)));
    speed.push(`| ${name} | ${s.first.toFixed(0)} | ${s.second.toFixed(0)} |`);
  }
  const e = textsPerSecond(texts, warmUp, () => eldDetect);
  speed.push(
    `| eld 2.1 (large, en/fr/de subset) | ${e.first.toFixed(0)} | ${e.second.toFixed(0)} |`,
  );
  out.push(
    `### Speed: texts per second over the ${texts.length} out-of-domain en/fr/de texts (20–1000 characters; ours includes tokenizing)`,
    "",
    "Best of three rounds, each after a warm-up pass over the validation texts; the first pass starts with a fresh tokenizer (its word cache holds only the warm-up's words).",
    "",
    "| | first pass (new texts) | second pass (same texts) |",
    "|---|---|---|",
    ...speed,
    "",
  );
  process.stdout.write(`${out.join("\n")}\n`);
}
