/**
 * Script features: how many of the text's letters are Latin (as in our languages and in code), of
 * another script (Cyrillic, Greek, Arabic, Han…), and how many characters are symbols outside
 * ASCII (arrows, ©, maths), outside what code quotes (countScripts). The first two tell a text in
 * another script as such, even in a script the router never met.
 */
import { LATIN, NO_SCRIPT, OTHER_SCRIPT, walkQuotes } from "../reading";
import type { FeatureBlock } from "./block";

/** Named in the order of reading.ts's LATIN, OTHER_SCRIPT and SYMBOL. */
export const SCRIPT_FEATURES = [
  "letter of the Latin alphabet",
  "letter of another script",
  "symbol outside ASCII (arrows, ©, maths)",
] as const;

/**
 * How many characters of `text` have each script feature, into `counts` (by SCRIPT_FEATURES).
 * What code quotes is left out (walkQuotes) unless that leaves no letter: code quotes and
 * comments in its writers' language while its own letters are Latin, so `print("Привет")  # мир`
 * reads as Latin, and a quotation alone still counts. `quoted` is scratch space.
 */
function countScripts(text: string, counts: Int32Array, quoted: Int32Array): void {
  counts.fill(0);
  quoted.fill(0);
  walkQuotes(text, (_start, _end, script, inQuotes) => {
    if (script !== NO_SCRIPT) (inQuotes ? quoted : counts)[script]++;
  });
  if (counts[LATIN] + counts[OTHER_SCRIPT] === 0)
    for (let f = 0; f < counts.length; f++) counts[f] += quoted[f];
}

/** Scratch for countScripts, reused from call to call. */
const scriptCounts = new Int32Array(SCRIPT_FEATURES.length);
const quotedScriptCounts = new Int32Array(SCRIPT_FEATURES.length);

export const scriptsBlock = {
  id: "scripts",
  featureKind: "script",
  verbatim: false,
  readsText: true,
  size: () => SCRIPT_FEATURES.length,
  count(input, _sizes, counts, offset, touched) {
    countScripts(input.text as string, scriptCounts, quotedScriptCounts);
    scriptCounts.forEach((count, f) => {
      if (count === 0) return;
      touched.push(offset + f);
      counts[offset + f] = count;
    });
  },
  namer: () => (feature) => SCRIPT_FEATURES[feature],
} as const satisfies FeatureBlock<"scripts", "script">;
