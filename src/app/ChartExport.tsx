/**
 * Save a chart as SVG or PNG, and its data as CSV. The SVG is the chart as drawn, with the
 * page's computed colours and fonts written into it (the stylesheet's custom properties don't
 * travel with a file).
 */
import type { RefObject } from "react";
import { download } from "./download";
import { useT } from "./i18n";

const STYLE_PROPERTIES = [
  "fill",
  "stroke",
  "stroke-width",
  "stroke-dasharray",
  "opacity",
  "font-size",
  "font-family",
  "font-weight",
] as const;

/** The chart's SVG as a standalone document, styles inlined. */
export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const originals = [svg, ...svg.querySelectorAll("*")];
  const copies = [copy, ...copy.querySelectorAll("*")];
  originals.forEach((element, i) => {
    const computed = getComputedStyle(element);
    const style = STYLE_PROPERTIES.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(";");
    copies[i].setAttribute("style", style);
    // Colours given as var(--…) attributes (chart-colours.ts) would mean nothing in a file.
    for (const p of STYLE_PROPERTIES)
      if (copies[i].getAttribute(p)?.includes("var(--"))
        copies[i].setAttribute(p, computed.getPropertyValue(p));
  });
  const { width, height } = svg.getBoundingClientRect();
  copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
  copy.setAttribute("width", String(Math.round(width)));
  copy.setAttribute("height", String(Math.round(height)));
  const background = getComputedStyle(document.documentElement).backgroundColor;
  copy.insertAdjacentHTML(
    "afterbegin",
    `<rect width="100%" height="100%" fill="${background || "#ffffff"}"/>`,
  );
  return new XMLSerializer().serializeToString(copy);
}

/** CSV text of `rows` (the first is the header); fields with commas, quotes or newlines quoted. */
export function toCsv(rows: (string | number | null | undefined)[][]): string {
  const field = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${rows.map((r) => r.map(field).join(",")).join("\n")}\n`;
}

/** A chart's rows as CSV cells: the columns in order, each under its header in the UI's language. */
export function tableOf(
  data: Record<string, string | number | null | undefined>[],
  columns: [key: string, header: string][],
): (string | number | null | undefined)[][] {
  return [
    columns.map(([, header]) => header),
    ...data.map((row) => columns.map(([key]) => row[key])),
  ];
}

async function pngOf(svgText: string, width: number, height: number): Promise<Blob> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  await image.decode();
  const scale = 2;
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const context = canvas.getContext("2d");
  if (!context) throw new Error("this browser can't draw a PNG");
  context.scale(scale, scale);
  context.drawImage(image, 0, 0, width, height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("no PNG was made"))), "image/png"),
  );
}

/** Buttons that save the chart inside `figure` as SVG or PNG, and `csv()` as a CSV file. */
export function ChartExport({
  figure,
  name,
  title,
  csv,
}: {
  figure: RefObject<HTMLElement | null>;
  /** File name without extension, e.g. "training-loss". */
  name: string;
  /** The chart's title, in the UI's language (the buttons say what they save). */
  title: string;
  csv?: () => (string | number | null | undefined)[][];
}) {
  const t = useT();
  const svgOf = () => {
    const svg = figure.current?.querySelector("svg.recharts-surface, svg");
    if (!(svg instanceof SVGSVGElement)) throw new Error("the chart is not drawn yet");
    return svg;
  };
  const saveSvg = () =>
    download(new Blob([standaloneSvg(svgOf())], { type: "image/svg+xml" }), `${name}.svg`);
  const savePng = async () => {
    const svg = svgOf();
    const { width, height } = svg.getBoundingClientRect();
    download(await pngOf(standaloneSvg(svg), width, height), `${name}.png`);
  };
  return (
    <span className="chart-export">
      {t("export.save")}{" "}
      <button
        type="button"
        className="small"
        onClick={saveSvg}
        aria-label={t("export.svg", { title })}
      >
        SVG
      </button>{" "}
      <button
        type="button"
        className="small"
        onClick={() => void savePng()}
        aria-label={t("export.png", { title })}
      >
        PNG
      </button>
      {csv && (
        <>
          {" "}
          <button
            type="button"
            className="small"
            onClick={() => download(new Blob([toCsv(csv())], { type: "text/csv" }), `${name}.csv`)}
            aria-label={t("export.csv", { title })}
          >
            CSV
          </button>
        </>
      )}
    </span>
  );
}
