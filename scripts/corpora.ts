/**
 * `npm run corpora`: builds the English, French, German and Python corpora from Debian packages.
 *
 * Prose comes from the same manuals in all three languages (LibreOffice and GIMP help, Debian
 * handbook, reference, installation guide, FAQ, maintainers' guide), so a router learns language
 * rather than topic. Markup is stripped, code blocks (<pre>) are left out, paragraphs are
 * de-duplicated, and paragraphs not detected as the target language (fr/de manuals keep some
 * untranslated English) are dropped. Python is the CPython standard library, without tests.
 *
 * Output (data/): corpora/<lang>/train.txt (not committed; rebuilt by this script),
 * val/<lang>.txt (held out, committed), ../public/corpora/<lang>.txt (small bundled corpora for
 * in-browser training, committed) and SOURCES.md. Documents are separated by a form-feed line.
 * Then the router's extra text (scripts/router-corpora.ts; `npm run corpora -- router` builds only
 * that), and the bundled languages to add (es, it; `npm run corpora -- languages` alone).
 */
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { francAll } from "franc-min";
import { LANGUAGES, type Language, type PROSE_LANGUAGES } from "../src/ml/languages";
import { htmlParagraphs, looksLikeCode } from "./corpus-text";
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
import { buildRouterCorpora, ROUTER_SECTION, routerSourcesSection } from "./router-corpora";

type ProseLang = (typeof PROSE_LANGUAGES)[number];
const FRANC_CODE: Record<ProseLang, string> = { en: "eng", fr: "fra", de: "deu" };
/** Languages the teacher never saw, bundled for "Add a language". */
const ADDABLE = ["es", "it"] as const;
type Addable = (typeof ADDABLE)[number];
const ADDABLE_CODE: Record<Addable, string> = { es: "spa", it: "ita" };

/** Every source: Debian package, licence (from its copyright file), and where its HTML lives. */
interface Source {
  pkg: string;
  licence: string;
  lang: Language | Addable;
  /** Folder (inside the extracted package) and a file-name filter. */
  dir: string;
  match: RegExp;
}

/** The LibreOffice and GIMP help in one language (`lo`: LibreOffice's tag for it). */
const helpManuals = (lang: ProseLang | Addable, lo: string): Source[] => [
  {
    pkg: `libreoffice-help-${lo}`,
    licence: "MPL-2.0",
    lang,
    dir: `usr/share/libreoffice/help/${lo === "en-us" ? "en-US" : lang}/text`,
    match: /\.html$/,
  },
  {
    pkg: `gimp-help-${lang}`,
    licence: "GFDL-1.2 (GIMP User Manual)",
    lang,
    dir: `usr/share/gimp/2.0/help/${lang}`,
    match: /\.html$/,
  },
];

const manuals = (
  lang: ProseLang,
  tag: { lo: string; gimp: string; hb: string; ig: string },
): Source[] => {
  const suffix = lang === "en" ? "" : `-${lang}`;
  return [
    ...helpManuals(lang, tag.lo),
    {
      pkg: "debian-handbook",
      licence: "GPL-2.0+ or CC-BY-SA-3.0",
      lang,
      dir: `usr/share/doc/debian-handbook/html/${tag.hb}`,
      match: /\.html$/,
    },
    {
      pkg: `debian-reference-${lang}`,
      licence: "GPL-2+",
      lang,
      dir: "usr/share/debian-reference",
      match: new RegExp(`\\.${lang}\\.html$`),
    },
    {
      pkg: "installation-guide-amd64",
      licence: "GPL-2",
      lang,
      dir: `usr/share/doc/installation-guide-amd64/${tag.ig}`,
      match: /\.html$/,
    },
    {
      pkg: `debian-faq${suffix}`,
      licence: "GPL-style FAQ licence (verbatim and modified copies permitted)",
      lang,
      dir: lang === "en" ? "usr/share/doc/debian/FAQ" : `usr/share/doc/debian/FAQ/${lang}`,
      match: lang === "en" ? /^(?!.*\.(fr|de)\.html$).*\.html$/ : /\.html$/,
    },
    {
      pkg: `maint-guide${suffix}`,
      licence: "MIT or GPL-2.0+ (maint-guide)",
      lang,
      dir: `usr/share/doc/maint-guide${suffix}/html`,
      match: new RegExp(`\\.${lang}\\.html$`),
    },
  ];
};

const SOURCES: Source[] = [
  ...manuals("en", { lo: "en-us", gimp: "en", hb: "en-US", ig: "en" }),
  ...manuals("fr", { lo: "fr", gimp: "fr", hb: "fr-FR", ig: "fr" }),
  ...manuals("de", { lo: "de", gimp: "de", hb: "de-DE", ig: "de" }),
  {
    pkg: "libpython3.11-stdlib",
    licence: "PSF-2.0 (Python Software Foundation License)",
    lang: "py",
    dir: "usr/lib/python3.11",
    match: /\.py$/,
  },
];

function isTargetLanguage(p: string, lang: ProseLang | Addable): boolean {
  // The teacher's languages are told apart among themselves (as the corpora were first built);
  // a language to add, among all five.
  const codes = { ...FRANC_CODE, ...ADDABLE_CODE };
  const only = lang in FRANC_CODE ? Object.values(FRANC_CODE) : Object.values(codes);
  const [best, second] = francAll(p, { only, minLength: 20 });
  return best[0] === codes[lang] && best[1] - (second?.[1] ?? 0) > 0.05;
}

const normalise = (p: string) => p.toLowerCase().replace(/\s+/g, " ").trim();

/** 1 in `everyNth` documents (by content hash) goes to validation. */
const isValidation = (doc: string, everyNth: number) =>
  hashOf(doc).readUInt32BE(0) % everyNth === 0;

interface LanguageStats {
  files: number;
  paragraphsSeen: number;
  duplicates: number;
  tooShort: number;
  code: number;
  otherLanguage: number;
  kept: number;
}

const emptyStats = (): LanguageStats => ({
  files: 0,
  paragraphsSeen: 0,
  duplicates: 0,
  tooShort: 0,
  code: 0,
  otherLanguage: 0,
  kept: 0,
});

function prose(lang: ProseLang, stats: LanguageStats): string[] {
  return proseOf(
    SOURCES.filter((s) => s.lang === lang),
    lang,
    stats,
  );
}

/** Paragraphs of these sources' HTML in `lang`: de-duplicated, prose only, checked by franc. */
function proseOf(sources: Source[], lang: ProseLang | Addable, stats: LanguageStats): string[] {
  const seen = new Set<string>();
  const docs: string[] = [];
  for (const source of sources) {
    const root = unpack(source.pkg);
    for (const file of listFiles(join(root, source.dir), source.match)) {
      stats.files++;
      for (const p of htmlParagraphs(readFileSync(file, "utf8"))) {
        stats.paragraphsSeen++;
        const key = normalise(p);
        if (seen.has(key)) {
          stats.duplicates++;
          continue;
        }
        seen.add(key);
        if (p.length < 40 || p.split(" ").length < 6) stats.tooShort++;
        else if (looksLikeCode(p)) stats.code++;
        else if (!isTargetLanguage(p, lang)) stats.otherLanguage++;
        else {
          stats.kept++;
          docs.push(p);
        }
      }
    }
  }
  return docs;
}

/** Python files, split into documents at top-level definitions so none is huge. */
function python(stats: LanguageStats): string[] {
  const source = SOURCES.find((s) => s.lang === "py") as Source;
  const root = unpack(source.pkg);
  const docs: string[] = [];
  const seen = new Set<string>();
  for (const file of listFiles(join(root, source.dir), source.match)) {
    if (/\/(tests?|idle_test|test_\w+)\//.test(file) || /\/test_[^/]*\.py$/.test(file)) continue;
    stats.files++;
    const text = readFileSync(file, "utf8").replace(/\f/g, "").replace(/\r\n/g, "\n");
    let chunk = "";
    const chunks: string[] = [];
    for (const line of text.split("\n")) {
      if (/^(def|class|async def|@)/.test(line) && chunk.length > 3000) {
        chunks.push(chunk);
        chunk = "";
      }
      chunk += `${line}\n`;
    }
    chunks.push(chunk);
    for (const c of chunks) {
      stats.paragraphsSeen++;
      const trimmed = c.replace(/^\n+|\s+$/g, "");
      if (trimmed.length < 40) {
        stats.tooShort++;
        continue;
      }
      if (seen.has(trimmed)) {
        stats.duplicates++;
        continue;
      }
      seen.add(trimmed);
      stats.kept++;
      docs.push(trimmed);
    }
  }
  return docs;
}

async function main(): Promise<void> {
  if (process.argv[2] === "router") return routerText();
  if (process.argv[2] === "languages") return languagesToAdd();
  const bundleBytes = 200_000;
  const valBytes = 150_000;
  const report: string[] = [];
  for (const lang of LANGUAGES) {
    const stats = emptyStats();
    const docs = mixed(lang === "py" ? python(stats) : prose(lang, stats));
    const val = docs.filter((d) => isValidation(d, 20));
    const train = docs.filter((d) => !isValidation(d, 20));
    const valKept = take(val, valBytes);
    const bundle = take(train, bundleBytes);
    await mkdir(join(ROOT, "data", "corpora", lang), { recursive: true });
    await mkdir(join(ROOT, "data", "val"), { recursive: true });
    await mkdir(join(ROOT, "public", "corpora"), { recursive: true });
    await writeFile(join(ROOT, "data", "corpora", lang, "train.txt"), joinDocs(train));
    await writeFile(join(ROOT, "data", "val", `${lang}.txt`), joinDocs(valKept));
    await writeFile(join(ROOT, "public", "corpora", `${lang}.txt`), joinDocs(bundle));
    const mb = (docs: string[]) =>
      (docs.reduce((s, d) => s + Buffer.byteLength(d) + 3, 0) / 1e6).toFixed(2);
    const line = `${lang}: ${stats.files} files, ${stats.paragraphsSeen} paragraphs/chunks, ${stats.duplicates} duplicates, ${stats.tooShort} too short, ${stats.code} code-like, ${stats.otherLanguage} other language, ${stats.kept} kept → train ${mb(train)} MB, validation ${mb(valKept)} MB (of ${mb(val)} MB held out), bundled ${mb(bundle)} MB`;
    process.stderr.write(`${line}\n`);
    report.push(`- ${line}`);
  }
  const sources = [...new Map(SOURCES.map((s) => [s.pkg, s])).values()];
  const table = sources.map(
    (s) =>
      `| ${s.pkg} | ${packageVersion(s.pkg)} | ${
        s.lang === "py"
          ? "Python"
          : SOURCES.filter((x) => x.pkg === s.pkg)
              .map((x) => x.lang)
              .join(", ")
      } | ${s.licence} |`,
  );
  const md = [
    "# Sources of the MoME Lab corpora",
    "",
    "Built by `npm run corpora` (scripts/corpora.ts) from Debian 12 packages fetched with",
    "`apt-get download` and unpacked with `dpkg -x`. Each text keeps the licence of its source; the",
    "licence column summarises the package's `/usr/share/doc/<package>/copyright` file.",
    "",
    "| package | version | languages | licence |",
    "| --- | --- | --- | --- |",
    ...table,
    "",
    "Files: `data/val/<lang>.txt` (held-out validation, never trained on), `public/corpora/<lang>.txt`",
    "(small bundled training corpora for the browser), `data/corpora/<lang>/train.txt` (full training",
    "text; not committed, rebuilt by the script). Documents are separated by a line holding only a form feed.",
    "",
    "Last build:",
    "",
    ...report,
    "",
  ].join("\n");
  const previous = await readFile(SOURCES_MD, "utf8").catch(() => "");
  const routerPart = previous.includes(ROUTER_SECTION)
    ? previous.slice(previous.indexOf(ROUTER_SECTION))
    : "";
  await writeSources(`${md}\n${routerPart}`);
  await routerText();
  await languagesToAdd();
}

const SOURCES_MD = join(ROOT, "data", "SOURCES.md");

async function writeSources(md: string): Promise<void> {
  await writeFile(SOURCES_MD, md);
  await writeFile(join(ROOT, "public", "corpora", "SOURCES.md"), md);
  process.stderr.write(`wrote ${relative(ROOT, SOURCES_MD)}\n`);
}

/**
 * Languages the teacher never saw, bundled for "Add a language" (public/corpora/<lang>.txt,
 * 0.2 MB each): the LibreOffice and GIMP help in Spanish and Italian. Their section of SOURCES.md
 * is replaced, the rest kept.
 */
async function languagesToAdd(): Promise<void> {
  const report: string[] = [];
  const rows: string[] = [];
  for (const lang of ADDABLE) {
    const sources = helpManuals(lang, lang);
    const stats = emptyStats();
    const bundle = take(mixed(proseOf(sources, lang, stats)), 200_000);
    await writeFile(join(ROOT, "public", "corpora", `${lang}.txt`), joinDocs(bundle));
    report.push(
      `- ${lang}: ${stats.files} files, ${stats.kept} paragraphs kept → bundled ${bundle.length} paragraphs`,
    );
    rows.push(
      ...sources.map((s) => `| ${s.pkg} | ${packageVersion(s.pkg)} | ${lang} | ${s.licence} |`),
    );
    process.stderr.write(`${report.at(-1)}\n`);
  }
  const section = [
    LANGUAGES_SECTION,
    "",
    "`public/corpora/es.txt` and `it.txt` (0.2 MB each, `npm run corpora -- languages`): languages the",
    'teacher never saw, for the app\'s "Add a language".',
    "",
    "| package | version | language | licence |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    ...report,
    "",
  ].join("\n");
  const previous = await readFile(SOURCES_MD, "utf8");
  const cut = previous.indexOf(LANGUAGES_SECTION);
  const next =
    cut < 0 ? `${previous.trimEnd()}\n\n${section}` : `${previous.slice(0, cut)}${section}`;
  await writeSources(next);
}

const LANGUAGES_SECTION = "## Languages to add";

/** The router's extra text, and its section of SOURCES.md (replaced, the rest kept). */
async function routerText(): Promise<void> {
  const report = await buildRouterCorpora();
  const previous = await readFile(SOURCES_MD, "utf8");
  const cut = previous.indexOf(ROUTER_SECTION);
  const base = cut < 0 ? `${previous.trimEnd()}\n\n` : previous.slice(0, cut);
  const languages = previous.indexOf(LANGUAGES_SECTION);
  const rest = languages < 0 ? "" : `\n${previous.slice(languages)}`;
  await writeSources(`${base}${routerSourcesSection(report)}${rest}`);
}

await main();
