/**
 * Colours of chart series that are not router classes (those are in languages.ts): the stylesheet's
 * --series-1…8, so the light and dark themes each get readable ones.
 */
import type { BlockId } from "../ml/router";

const SERIES = 8;

/** The i-th series colour (0-based, cycling), as a CSS value for fill, stroke or background. */
export const seriesColour = (i: number) => `var(--series-${(i % SERIES) + 1})`;

/** The Routing panel's evidence kinds, one colour each. */
export const EVIDENCE_COLOURS: Record<BlockId, string> = {
  tokens: seriesColour(0),
  chars: seriesColour(4),
  lines: seriesColour(5),
  scripts: seriesColour(6),
};
