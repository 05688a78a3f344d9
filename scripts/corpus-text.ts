/** Text extraction for the corpora: paragraphs out of HTML, and a guard against code in prose. */
import { Parser } from "htmlparser2";

const BLOCKS = new Set([
  "p",
  "li",
  "dd",
  "dt",
  "td",
  "th",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "caption",
  "figcaption",
  "div",
  "title",
  "br",
]);
const SKIPPED = new Set(["pre", "script", "style", "head", "nav"]);

/** Paragraph texts of an HTML page: block elements' text; code blocks and navigation left out. */
export function htmlParagraphs(html: string): string[] {
  const paragraphs: string[] = [];
  let current = "";
  let skipDepth = 0;
  const flush = () => {
    const text = current.replace(/\s+/g, " ").trim();
    if (text) paragraphs.push(text);
    current = "";
  };
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipDepth++;
        if (BLOCKS.has(name)) flush();
      },
      ontext(text) {
        if (skipDepth === 0) current += text;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        if (BLOCKS.has(name)) flush();
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return paragraphs;
}

/** Looks like a shell command, a path or code rather than prose. */
export function looksLikeCode(p: string): boolean {
  if (/^[$#>] /.test(p) || /^(sudo|apt|dpkg|cd|ls|cat|echo|mount|export) /.test(p)) return true;
  const symbols = (p.match(/[{}[\];=<>|\\/_$@#*~`]/g) ?? []).length;
  return symbols / p.length > 0.08;
}
