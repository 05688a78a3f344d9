/**
 * A QR code of a link, drawn in the page (qrcode's encoder; no server, so it works offline), with
 * a full-screen view for the back of the room beside the short form of the address.
 */
import QRCode from "qrcode";
import { useRef, useState } from "react";
import { useNumbers, useT } from "./i18n";
import { whyOf } from "./i18n/problems";

/** The modules of `text`'s QR code, or null when it is too long for one (≈ 2,900 bytes). */
function qrModules(
  text: string,
): { size: number; dark: (row: number, col: number) => boolean } | null {
  // Medium error correction while it fits (a smudged projector still reads), else low.
  for (const level of ["M", "L"] as const) {
    try {
      const { modules } = QRCode.create(text, { errorCorrectionLevel: level });
      return { size: modules.size, dark: (r, c) => modules.get(r, c) === 1 };
    } catch {
      // too long at this level
    }
  }
  return null;
}

/** One SVG path: a unit square per dark module, with a quiet zone of 4 modules around. */
function modulePath(size: number, dark: (row: number, col: number) => boolean): string {
  let d = "";
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) if (dark(r, c)) d += `M${c + 4} ${r + 4}h1v1h-1z`;
  return d;
}

export function QrCode({ link, shortAddress }: { link: string; shortAddress: string }) {
  const t = useT();
  const numbers = useNumbers();
  const stage = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState("");
  const modules = qrModules(link);
  if (!modules)
    return (
      <p role="alert">
        {t("qr.tooLong", {
          bytes: numbers.number(new TextEncoder().encode(link).length),
          most: numbers.number(2900),
        })}
      </p>
    );
  const side = modules.size + 8;
  const fullScreen = async () => {
    try {
      await stage.current?.requestFullscreen();
      setProblem("");
    } catch (e) {
      setProblem(t("tools.fullScreenRefused", { why: whyOf(e) }));
    }
  };
  return (
    <div className="qr" ref={stage}>
      <svg
        viewBox={`0 0 ${side} ${side}`}
        role="img"
        aria-label={t("qr.label")}
        shapeRendering="crispEdges"
        className="qr-code"
      >
        <rect width={side} height={side} fill="#ffffff" />
        <path d={modulePath(modules.size, modules.dark)} fill="#000000" />
      </svg>
      <p className="qr-address">{shortAddress}</p>
      <button type="button" className="qr-full-screen" onClick={() => void fullScreen()}>
        {t("qr.fullScreen")}
      </button>
      {problem && <p role="alert">{problem}</p>}
    </div>
  );
}
