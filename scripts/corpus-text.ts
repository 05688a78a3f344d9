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
// Mallard help pages (GNOME) keep their metadata in <info> and their terminal text in <screen>.
const SKIPPED = new Set(["pre", "script", "style", "head", "nav", "info", "screen"]);

/**
 * Paragraph texts of an HTML page or a Mallard help page: block elements' text; code blocks,
 * navigation and metadata left out.
 */
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

/** Named troff characters (\(xx and \[name]) as text; others are dropped. */
const TROFF_CHARACTERS: Record<string, string> = {
  em: "—",
  en: "–",
  hy: "-",
  aq: "'",
  cq: "'",
  oq: "'",
  lq: '"',
  rq: '"',
  dq: '"',
  Fo: "«",
  Fc: "»",
  ti: "~",
  ha: "^",
  rs: "\\",
  bu: "•",
  mu: "×",
  co: "©",
};

/** Font and size changes, named characters and other troff escapes, as plain text. */
function troffInline(line: string): string {
  return line
    .replace(/\\f(\[[^\]]*\]|\(..|.)/g, "")
    .replace(/\\s[+-]?\d+/g, "")
    .replace(/\\\*(\[[^\]]*\]|\(..|.)/g, "")
    .replace(
      /\\(?:\((..)|\[([^\]]*)\])/g,
      (_, short, long) => TROFF_CHARACTERS[short ?? long] ?? "",
    )
    .replace(/\\[&c/,%:]/g, "")
    .replace(/\\[ ~0|^]/g, " ")
    .replace(/\\(.)/g, (_, c) => (c === "e" ? "\\" : c));
}

/**
 * A macro line's arguments: separated by spaces, a quoted one may hold spaces ("" is a quote
 * in it), an escaped space does not separate.
 */
function macroArguments(text: string): string[] {
  return [...text.matchAll(/"((?:[^"]|"")*)"?|((?:\\.|\S)+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2],
  );
}

/** Macros whose arguments are running text. */
const TEXT_MACROS = /^\.(B|I|SM|SB|BR|RB|BI|IB|IR|RI)\s+(.*)$/;
/** Those that alternate two fonts argument by argument, with no space between: ".BR ls (1)" is "ls(1)". */
const ALTERNATING = new Set(["BR", "RB", "BI", "IB", "IR", "RI"]);

/**
 * Paragraphs of a man page's troff source: running text with font changes and escapes removed;
 * headings, tables, example blocks (.nf/.EX) and other requests left out.
 */
export function manParagraphs(troff: string): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  let inBlock = false;
  const flush = () => {
    const text = current.join(" ").replace(/\s+/g, " ").trim();
    if (text) paragraphs.push(text);
    current = [];
  };
  for (const raw of troff.split("\n")) {
    const line = raw.replace(/\s+$/, "");
    if (/^\.(nf|EX|TS)\b/.test(line)) {
      flush();
      inBlock = true;
      continue;
    }
    if (/^\.(fi|EE|TE)\b/.test(line)) {
      inBlock = false;
      continue;
    }
    if (inBlock || line.startsWith('.\\"') || line.startsWith("'\\\"")) continue;
    const textMacro = TEXT_MACROS.exec(line);
    if (textMacro) {
      const [, macro, args] = textMacro;
      current.push(troffInline(macroArguments(args).join(ALTERNATING.has(macro) ? "" : " ")));
    } else if (/^[.']/.test(line)) flush();
    else if (line === "") flush();
    else current.push(troffInline(line));
  }
  flush();
  return paragraphs;
}

/** The entries of a fortune file (separated by lines holding only "%"), whitespace folded. */
export function fortuneEntries(text: string): string[] {
  return text
    .split(/^%$/m)
    .map((entry) => entry.replace(/\s+/g, " ").trim())
    .filter((entry) => entry.length > 0);
}

/** Source code cut at blank lines into chunks of about `size` characters (never splitting lines). */
export function codeChunks(source: string, size: number): string[] {
  const chunks: string[] = [];
  let chunk = "";
  for (const block of source.replace(/\r\n/g, "\n").split(/\n\s*\n/)) {
    if (chunk && chunk.length + block.length > size) {
      chunks.push(chunk);
      chunk = "";
    }
    chunk += chunk ? `\n\n${block}` : block;
  }
  if (chunk.trim()) chunks.push(chunk);
  return chunks.map((c) => c.replace(/^\n+|\s+$/g, "")).filter((c) => c.length > 0);
}

/**
 * Code without its comments (they are mostly English prose, which must not teach a router that
 * English is "none of these"): C-style for C and JavaScript, # lines for shell, Ruby and Perl
 * (whose POD documentation goes too).
 */
export function stripComments(code: string, style: "c" | "hash"): string {
  if (style === "c")
    return code
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/(^|[^:"'\\])\/\/.*$/gm, "$1")
      .replace(/[ \t]+$/gm, "")
      .replace(/\n{3,}/g, "\n\n");
  return code
    .replace(/^=[a-zA-Z][\s\S]*?(^=cut\b.*(\n|$)|(?![\s\S]))/gm, "")
    .replace(/^[ \t]*#(?!!).*\n?/gm, "");
}

/**
 * The messages of a gettext .mo file: each original (msgid) with its translation (msgstr), the
 * first plural form of each, without the header entry or a context prefix. Translations are read
 * in the charset the header names (some are ISO-8859-1); originals are ASCII or UTF-8.
 */
export function moMessages(mo: Uint8Array): { id: string; text: string }[] {
  const view = new DataView(mo.buffer, mo.byteOffset, mo.byteLength);
  const little = view.getUint32(0, true) === 0x950412de;
  if (!little && view.getUint32(0, false) !== 0x950412de) throw new Error("not a .mo file");
  const u32 = (offset: number) => view.getUint32(offset, little);
  const bytes = (table: number, i: number) => {
    const length = u32(table + 8 * i);
    const offset = u32(table + 8 * i + 4);
    return mo.subarray(offset, offset + length);
  };
  const utf8 = new TextDecoder();
  const count = u32(8);
  let decoder = utf8;
  const out: { id: string; text: string }[] = [];
  for (let i = 0; i < count; i++) {
    const id = utf8.decode(bytes(u32(12), i)).split("\0")[0];
    if (id === "") {
      decoder = textDecoderFor(utf8.decode(bytes(u32(16), i)));
      continue;
    }
    const text = decoder.decode(bytes(u32(16), i)).split("\0")[0];
    out.push({ id: id.slice(id.indexOf("\u0004") + 1), text });
  }
  return out;
}

/** A decoder for the charset a .mo header names (UTF-8 when it names none or an unknown one). */
function textDecoderFor(header: string): TextDecoder {
  const charset = /charset=([\w.:-]+)/i.exec(header)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8");
  } catch {
    return new TextDecoder();
  }
}

/** A user-interface string as prose: no format directives, accelerator marks or markup. */
export function uiText(message: string): string {
  return message
    .replace(/%(\d+\$)?[-+ 0#']*(\d+|\*)?(\.\d+)?(hh|h|ll|l|L|z|j|t)?[a-zA-Z%]/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/(^|\s)[_&](?=\w)/g, "$1")
    .replace(/(\w)_(?=\w)/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
