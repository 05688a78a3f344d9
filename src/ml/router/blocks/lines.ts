/**
 * Line-layout features: how a text breaks its lines. Prose here is never hard-wrapped or
 * indented; Python docstrings and code are, so a window of docstring prose still shows it is
 * Python. Each is counted once per line break.
 */
import type { FeatureBlock } from "./block";

export const LINE_FEATURES = [
  "line break inside a sentence",
  "line indented by a multiple of 4 spaces",
  "line indented by another width",
  "tab-indented line",
  "line ending in a colon",
  "blank line",
] as const;

const [WRAP, INDENT_4K, INDENT_OTHER, TAB, COLON_END, BLANK] = LINE_FEATURES.map((_, i) => i);

/** The line features (indices into LINE_FEATURES) of each line break of `text`, in order. */
function forEachLineBreak(text: string, visit: (feature: number) => void): void {
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
    let k = i + 1;
    while (text[k] === " ") k++;
    const spaces = k - i - 1;
    const next = text[k];
    if (next === undefined) return; // the window ends inside the indentation
    const before = text[i - 1];
    if (next === "\n") {
      visit(BLANK);
      continue;
    }
    if (next === "\t") visit(TAB);
    else if (spaces > 0) visit(spaces % 4 === 0 ? INDENT_4K : INDENT_OTHER);
    if (before === ":") visit(COLON_END);
    else if (before !== undefined && /[\p{Ll},;]/u.test(before) && /\p{Ll}/u.test(next))
      visit(WRAP);
  }
}

export const linesBlock = {
  id: "lines",
  featureKind: "line",
  verbatim: false,
  readsText: true,
  size: () => LINE_FEATURES.length,
  count(input, _sizes, counts, offset, touched) {
    forEachLineBreak(input.text as string, (f) => {
      if (counts[offset + f] === 0) touched.push(offset + f);
      counts[offset + f]++;
    });
  },
  namer: () => (feature) => LINE_FEATURES[feature],
} as const satisfies FeatureBlock<"lines", "line">;
