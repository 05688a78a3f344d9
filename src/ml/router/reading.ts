/**
 * What the router reads of a text: the text less its emoji, and less what its code quotes or
 * comments in another script. Also how a character's script is told (the script feature block
 * counts them too).
 */

/** A text as the router reads it: its token ids and (for character n-grams) the text itself. */
export interface RouterInput {
  ids: readonly number[];
  text?: string;
}

/** A text the router learns or is scored on, with its class. */
export interface RouterExample extends RouterInput {
  label: string;
}

/**
 * An emoji and what joins or modifies it (skin tone, variation selector, zero-width joiner, flag
 * letters, tags), with the spaces before it. Emoji say nothing of a language; read, their byte
 * tokens and n-grams crowded out the words beside them ("Danke 😊" went to French).
 */
const EMOJI =
  /[ \t]*(?:\p{Regional_Indicator}{1,2}|\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)(?:\p{Emoji_Modifier}|\uFE0F|\u20E3|[\u{E0020}-\u{E007F}]|\u200D\p{Extended_Pictographic}\uFE0F?)*/gu;

/** Text with nothing to leave out: no emoji, nothing in another script (most English). */
const ASCII_ONLY = /^\p{ASCII}*$/u;
/** Text that may hold an emoji: every emoji, and the selector that makes one, is from U+231A. */
const MAYBE_EMOJI = /[\u231A-\u{10FFFF}]/u;

/** A blank text, or no ids without a text. */
export const nothingToRead = (input: RouterInput) =>
  input.text === undefined ? input.ids.length === 0 : !/\S/.test(input.text);

/** What the router reads of a text, and what it leaves out. */
export interface Reading {
  read: string;
  /** Emoji left out. */
  emoji: number;
  /** Characters left out that code quotes or comments in another script. */
  quoted: number;
}

/**
 * What the router reads of `text`: the text without its emoji, and without what its code quotes
 * or comments in another script (withoutQuotedOtherScripts).
 */
export function routerReading(text: string): Reading {
  if (ASCII_ONLY.test(text)) return { read: text, emoji: 0, quoted: 0 };
  const withoutEmoji = MAYBE_EMOJI.test(text) ? text.replace(EMOJI, "") : text;
  const read = withoutQuotedOtherScripts(withoutEmoji);
  const emoji = withoutEmoji.length === text.length ? 0 : (text.match(EMOJI)?.length ?? 0);
  return { read, emoji, quoted: withoutEmoji.length - read.length };
}

/** What the router reads of `text` (routerReading), encoded. */
export function routerInput(text: string, encode: (s: string) => number[]): RouterInput {
  const { read } = routerReading(text);
  return { ids: encode(read), text: read };
}

/** The scripts a character is told apart by (indices into the script block's features). */
export const LATIN = 0;
export const OTHER_SCRIPT = 1;
export const SYMBOL = 2;
/** Not a letter or a symbol (digits, punctuation, spaces). */
export const NO_SCRIPT = -1;

/** The script of each code point met so far (outside ASCII): a lookup, not a regex. */
const scriptOfCodePoint = new Map<number, number>();

export function scriptOf(codePoint: number): number {
  if (codePoint < 128) {
    const lower = codePoint | 0x20;
    return lower >= 0x61 && lower <= 0x7a ? LATIN : NO_SCRIPT;
  }
  let script = scriptOfCodePoint.get(codePoint);
  if (script === undefined) {
    const c = String.fromCodePoint(codePoint);
    script = /\p{Script=Latin}/u.test(c)
      ? LATIN
      : /\p{L}/u.test(c)
        ? OTHER_SCRIPT
        : /\p{S}/u.test(c)
          ? SYMBOL
          : NO_SCRIPT;
    scriptOfCodePoint.set(codePoint, script);
  }
  return script;
}

const [NEWLINE, DOUBLE_QUOTE, QUOTE, HASH] = ["\n", '"', "'", "#"].map((c) => c.charCodeAt(0));

const isLetter = (codePoint: number | undefined) => {
  const script = codePoint === undefined ? NO_SCRIPT : scriptOf(codePoint);
  return script === LATIN || script === OTHER_SCRIPT;
};

/**
 * Walks `text` as code reads it, calling `visit(start, end, script, quoted)` for each character
 * but the quote and comment marks themselves: `quoted` is whether it lies between ASCII quotes
 * (' or ", to the end of the line) or after a # (a comment). An apostrophe between two letters
 * (don't, l'homme) opens no quote.
 */
export function walkQuotes(
  text: string,
  visit: (start: number, end: number, script: number, quoted: boolean) => void,
): void {
  let openQuote = 0; // the quote character that opened a string on this line, or 0
  let inComment = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === NEWLINE) {
      openQuote = 0;
      inComment = false;
      continue;
    }
    if (openQuote !== 0 && code === openQuote) {
      openQuote = 0;
      continue;
    }
    if (openQuote === 0 && !inComment) {
      if (code === HASH) {
        inComment = true;
        continue;
      }
      const apostrophe =
        code === QUOTE && isLetter(text.codePointAt(i - 1)) && isLetter(text.codePointAt(i + 1));
      if (code === DOUBLE_QUOTE || (code === QUOTE && !apostrophe)) {
        openQuote = code;
        continue;
      }
    }
    const codePoint = text.codePointAt(i) as number;
    const end = codePoint > 0xffff ? i + 2 : i + 1; // a surrogate pair is one character
    visit(i, end, scriptOf(codePoint), openQuote !== 0 || inComment);
    i = end - 1;
  }
}

/**
 * `text` less what code quotes or comments outside ASCII and the Latin alphabet (Cyrillic, Han,
 * their punctuation), unless nothing else has letters: `print("Привет, " + name)` reads as
 * `print(", " + name)`, which is Python. Read, the strings' n-grams and byte tokens outweighed
 * the code of a short program.
 */
function withoutQuotedOtherScripts(text: string): string {
  const dropped: number[] = []; // start, end, start, end…
  let lettersOutside = 0;
  walkQuotes(text, (start, end, script, quoted) => {
    if (!quoted) lettersOutside += Number(script === LATIN || script === OTHER_SCRIPT);
    else if (script !== LATIN && text.charCodeAt(start) > 0x7f) dropped.push(start, end);
  });
  if (dropped.length === 0 || lettersOutside === 0) return text;
  let out = "";
  let from = 0;
  for (let k = 0; k < dropped.length; k += 2) {
    out += text.slice(from, dropped[k]);
    from = dropped[k + 1];
  }
  return out + text.slice(from);
}
