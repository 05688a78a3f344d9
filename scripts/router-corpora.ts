/**
 * `npm run corpora -- router`: text for the router beyond the manuals, from more Debian packages.
 *
 * - Training (data/router/train/<class>.txt, not committed): man pages, GNOME's desktop help and
 *   programs' interface strings (gettext translations and their English originals; Freeciv's
 *   help and its nations' histories, and Wesnoth's campaign stories, are general prose) in
 *   en/fr/de, more Python
 *   (setuptools, docutils, Django, requests, Jinja, urllib3, PyYAML, CPython's tests, and SciPy,
 *   pandas, SymPy, Matplotlib, scikit-learn and NetworkX), and "none of these" text: man pages in eleven other languages, shell
 *   (bash-completion), C headers (libc), JavaScript (lodash, yargs, commander, semver, debug),
 *   Perl and Ruby, code without its comments, and a little of GIMP's interface in nine languages
 *   of other scripts (Cyrillic, Greek, Arabic, Hebrew, Devanagari, Thai, Japanese, Korean, Han). 1 document in 10 of every source is held out: for
 *   the classes and for the "none" sources not scored below, in data/router/calibration/<class>.txt
 *   (not committed; the "none" thresholds are chosen on it and data/val).
 * - Out-of-domain evaluation (data/router/ood/<lang>.txt, committed): sources the router never
 *   trains on — fortunes (en, de), the programmers' man pages (en, fr, de) and NumPy (Python).
 * - A second out-of-domain set (data/router/ood2/<lang>.txt, committed), only for scoring: GNOME
 *   applications' help and more programs' interface strings (en, fr, de), Sphinx, Pygments and
 *   Twisted (Python).
 * - "None of these" evaluation (data/router/none/<tag>.txt, committed): Spanish and Italian (never
 *   trained on), JavaScript from acorn and C from zlib (sources never trained on), and the held-out
 *   Dutch, Polish, Portuguese and shell documents; and languages in other scripts
 *   (data/router/scripts/<tag>.txt, committed): GTK's and GLib's interface in Russian, Arabic and
 *   Chinese, and in Georgian, Armenian, Tamil and Bengali, scripts the router never trains on.
 * - public/corpora/none.txt: a small bundle of the "none" training text, so the browser can fit a
 *   router with that class.
 */

import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { francAll } from "franc-min";
import { NONE } from "../src/ml/router";
import {
  codeChunks,
  fortuneEntries,
  htmlParagraphs,
  manParagraphs,
  moMessages,
  stripComments,
  uiText,
} from "./corpus-text";
import {
  hashOf,
  joinDocs,
  listFiles,
  mixed,
  packageVersion,
  ROOT,
  take,
  unpack,
} from "./debian-packages";
import { SOURCES } from "./router-corpora/source-table";
import { CODE_TAGS, FRANC, type RouterSource, UNSPACED_SCRIPT } from "./router-corpora/sources";

/**
 * The text is in `tag`'s language by franc among the eight prose languages, by a clear margin;
 * for a language franc-min can't tell reliably, it is at least not English, French or German.
 */
function isLanguage(text: string, tag: string): boolean {
  if (!FRANC[tag]) return !["eng", "fra", "deu", "sco"].includes(francAll(text)[0][0]);
  const [best, second] = francAll(text, { only: Object.values(FRANC), minLength: 20 });
  return best[0] === FRANC[tag] && best[1] - (second?.[1] ?? 0) > 0.05;
}

/** A source's documents: prose paragraphs in its language (≥ 40 characters), or code chunks. */
export function documents(source: RouterSource): string[] {
  const root = unpack(source.pkg);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const file of listFiles(join(root, source.dir), source.match)) {
    const bytes = readFileSync(file);
    const text = (file.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
    const pieces =
      source.kind === "messages"
        ? moMessages(bytes)
            .filter((m) => m.text !== m.id)
            .map((m) => uiText(source.tag === "en" ? m.id : m.text))
            .filter((m) => m.length >= 12 && (m.includes(" ") || UNSPACED_SCRIPT.test(m)))
        : source.kind === "man"
          ? manParagraphs(text)
          : source.kind === "fortune"
            ? fortuneEntries(text)
            : source.kind === "help"
              ? htmlParagraphs(text)
              : codeChunks(source.comments ? stripComments(text, source.comments) : text, 1500);
    for (const piece of pieces) {
      if (seen.has(piece)) continue;
      seen.add(piece);
      if (source.kind === "messages") out.push(piece);
      else if (piece.length < 40) continue;
      else if (
        CODE_TAGS.has(source.tag) ||
        (piece.split(" ").length >= 6 && isLanguage(piece, source.tag))
      )
        out.push(piece);
    }
  }
  return out;
}

/** 1 document in 10 (by hash) is held out: for calibration (classes) or evaluation (none). */
const heldOut = (doc: string) => hashOf(`none:${doc}`).readUInt32BE(0) % 10 === 0;

const ROUTER_DIR = join(ROOT, "data", "router");

export const TRAIN_BYTES = 2_000_000; // per source of a class

export const NONE_TRAIN_BYTES = 400_000; // per source of "none", so no one source dominates it

const CALIBRATION_BYTES = 60_000; // per calibration file

/** Per out-of-domain and "none" file: room for ROUTER_OUT_OF_DOMAIN_SNIPPETS texts at every length. */
const EVALUATION_BYTES = 300_000;

const BUNDLE_BYTES = 200_000;

export async function buildRouterCorpora(): Promise<string[]> {
  const train = new Map<string, string[]>(); // class → documents
  const evaluation = new Map<string, string[]>(); // "ood/en", "none/es" → documents
  const add = (map: Map<string, string[]>, key: string, docs: string[]) =>
    map.set(key, [...(map.get(key) ?? []), ...docs]);
  const report: string[] = [];
  for (const source of SOURCES) {
    const docs = mixed(documents(source));
    report.push(`- ${source.pkg} (${source.tag}, ${source.use}): ${docs.length} documents`);
    process.stderr.write(`${report.at(-1)}\n`);
    if (source.use === "train") {
      add(
        train,
        source.tag,
        take(
          docs.filter((d) => !heldOut(d)),
          TRAIN_BYTES,
        ),
      );
      add(evaluation, `calibration/${source.tag}`, docs.filter(heldOut));
    } else if (source.use === "ood" || source.use === "ood2")
      add(evaluation, `${source.use}/${source.tag}`, docs);
    else if (source.use === "none-ood") add(evaluation, `none/${source.tag}`, docs);
    else if (source.use === "scripts-ood") add(evaluation, `scripts/${source.tag}`, docs);
    else {
      add(
        train,
        NONE,
        take(
          docs.filter((d) => !heldOut(d)),
          source.trainBytes ?? NONE_TRAIN_BYTES,
        ),
      );
      // Held-out documents of scored sources are evaluated; the others calibrate the router.
      add(
        evaluation,
        source.scored ? `none/${source.tag}` : `calibration/${NONE}`,
        docs.filter(heldOut),
      );
    }
  }
  for (const [cls, docs] of train) {
    await mkdir(join(ROUTER_DIR, "train"), { recursive: true });
    await writeFile(join(ROUTER_DIR, "train", `${cls}.txt`), joinDocs(mixed(docs)));
  }
  for (const [key, docs] of evaluation) {
    await mkdir(join(ROUTER_DIR, key.split("/")[0]), { recursive: true });
    const bytes = key.startsWith("calibration/") ? CALIBRATION_BYTES : EVALUATION_BYTES;
    await writeFile(join(ROUTER_DIR, `${key}.txt`), joinDocs(take(mixed(docs), bytes)));
  }
  const noneTrain = mixed(train.get(NONE) ?? []);
  await writeFile(
    join(ROOT, "public", "corpora", "none.txt"),
    joinDocs(take(noneTrain, BUNDLE_BYTES)),
  );
  return report;
}

/** The router's section of data/SOURCES.md: its packages and the last build's document counts. */
export function routerSourcesSection(report: string[]): string {
  const rows = SOURCES.map(
    (s) => `| ${s.pkg} | ${packageVersion(s.pkg)} | ${s.tag} | router ${s.use} | ${s.licence} |`,
  );
  return [
    ROUTER_SECTION,
    "",
    ...ROUTER_SOURCES_NOTE,
    "",
    "| package | version | text | use | licence |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "Last build:",
    "",
    ...report,
    "",
  ].join("\n");
}

export const ROUTER_SECTION = "## Router text";

const ROUTER_SOURCES_NOTE = [
  "Router text (`npm run corpora`, scripts/router-corpora.ts): `data/router/train/<class>.txt`",
  "and `data/router/calibration/<class>.txt` (extra router training text and its held-out tenth, not committed), `data/router/ood/<lang>.txt` (out-of-domain",
  "evaluation: packages the router never trains on), `data/router/ood2/<lang>.txt` (a second out-of-domain set, only for scoring: it",
  'guided no choice about the router but AdaGrad’s rate, chosen with its figures in view), `data/router/none/<tag>.txt` ("none of these"',
  "evaluation: es and it never trained on, js and c from packages never trained on, nl/pl/pt/sh",
  "held-out documents), `data/router/scripts/<tag>.txt` (languages in other scripts, from packages never",
  "trained on: ru, ar, zh, and ka, hy, ta, bn in scripts never trained on) and",
  '`public/corpora/none.txt` (bundled "none" text for the browser).',
];
