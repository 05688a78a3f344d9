/** A small line chart as standalone SVG (for docs/RESULTS.md), no dependencies. */

export interface Series {
  name: string;
  points: [number, number][];
}

const COLOURS = [
  "#1f77b4",
  "#d62728",
  "#2ca02c",
  "#ff7f0e",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
];

const escapeXml = (s: string) =>
  s.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );

export function lineChart(
  series: Series[],
  o: { title: string; xLabel: string; yLabel: string },
): string {
  const width = 720;
  const height = 360;
  const margin = { left: 60, right: 170, top: 30, bottom: 40 };
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const [xMin, xMax] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const [yMin, yMax] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  const sx = (x: number) =>
    margin.left + ((x - xMin) / (xMax - xMin || 1)) * (width - margin.left - margin.right);
  const sy = (y: number) =>
    height -
    margin.bottom -
    ((y - yMin) / (yMax - yMin || 1)) * (height - margin.top - margin.bottom);
  const ticks = (lo: number, hi: number) =>
    Array.from({ length: 5 }, (_, i) => lo + ((hi - lo) * i) / 4);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(o.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${margin.left}" y="18" font-size="13" font-weight="bold">${escapeXml(o.title)}</text>`,
    `<text x="${(margin.left + width - margin.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`,
    `<text x="14" y="${(margin.top + height - margin.bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(margin.top + height - margin.bottom) / 2})">${escapeXml(o.yLabel)}</text>`,
  ];
  for (const y of ticks(yMin, yMax)) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${sy(y)}" y2="${sy(y)}" stroke="#eee"/>`,
    );
    parts.push(
      `<text x="${margin.left - 6}" y="${sy(y) + 4}" text-anchor="end">${Number(y.toPrecision(3))}</text>`,
    );
  }
  for (const x of ticks(xMin, xMax)) {
    parts.push(
      `<text x="${sx(x)}" y="${height - margin.bottom + 14}" text-anchor="middle">${Math.round(x)}</text>`,
    );
  }
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length];
    const d = s.points
      .filter(([, y]) => Number.isFinite(y))
      .map(([x, y], j) => `${j ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
      .join("");
    parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    const ly = margin.top + 14 * i;
    parts.push(
      `<line x1="${width - margin.right + 10}" x2="${width - margin.right + 28}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${width - margin.right + 32}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** A moving average, so noisy per-step losses read as curves. */
export function smooth(points: [number, number][], window: number): [number, number][] {
  return points.map(([x], i) => {
    const slice = points.slice(Math.max(0, i - window + 1), i + 1);
    return [x, slice.reduce((s, [, y]) => s + y, 0) / slice.length];
  });
}
