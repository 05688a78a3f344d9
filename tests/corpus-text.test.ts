import { describe, expect, it } from "vitest";
import {
  codeChunks,
  fortuneEntries,
  htmlParagraphs,
  looksLikeCode,
  manParagraphs,
  moMessages,
  stripComments,
  uiText,
} from "../scripts/corpus-text";

describe("corpus text extraction", () => {
  it("keeps block text, drops code blocks, scripts and navigation, decodes entities", () => {
    const html = `<html><head><title>T</title><style>p{}</style></head><body>
      <nav><a href="x">Home</a></nav>
      <h1>Créer un fichier</h1>
      <p>Ouvrez le menu <code>Fichier</code> et choisissez&nbsp;<b>Nouveau</b> &amp; validez.</p>
      <pre>$ apt-get install foo</pre>
      <ul><li>Premier point</li><li>Second<br>point</li></ul>
      <script>var x = 1;</script></body></html>`;
    expect(htmlParagraphs(html)).toEqual([
      "Créer un fichier",
      "Ouvrez le menu Fichier et choisissez Nouveau & validez.",
      "Premier point",
      "Second",
      "point",
    ]);
  });

  it("reads a Mallard help page's paragraphs, not its metadata or terminal text", () => {
    const page = `<?xml version="1.0" encoding="utf-8"?>
      <page xmlns="http://projectmallard.org/1.0/" type="topic" id="accounts-add" xml:lang="de">
        <info>
          <link type="guide" xref="accounts" group="add"/>
          <credit type="author"><name>Jim Campbell</name><email>jw@example.org</email></credit>
          <desc>Anwendungen den Zugriff auf Ihre Konten erlauben.</desc>
        </info>
        <title>Ein Konto hinzufügen</title>
        <p>Öffnen Sie die <gui>Aktivitäten</gui>-Übersicht &amp; tippen Sie.</p>
        <screen>sudo apt install gnome-online-accounts</screen>
        <steps><item><p>Klicken Sie auf <gui>Konto</gui>.</p></item></steps>
      </page>`;
    expect(htmlParagraphs(page)).toEqual([
      "Ein Konto hinzufügen",
      "Öffnen Sie die Aktivitäten-Übersicht & tippen Sie.",
      "Klicken Sie auf Konto.",
    ]);
  });

  it("flags commands and code-like lines, not prose", () => {
    expect(looksLikeCode("$ sudo apt-get install chromium")).toBe(true);
    expect(looksLikeCode("if (x) { y = z[0]; } else { w = $a; }")).toBe(true);
    expect(looksLikeCode("Open the file menu and choose Save to keep your work.")).toBe(false);
  });
});

describe("man pages, fortunes and code", () => {
  it("turns troff into paragraphs of running text", () => {
    const troff = [
      '.\\" a comment',
      '.TH LS 1 "Septembre 2022"',
      ".SH NOM",
      "ls \\- Afficher le contenu",
      ".PP",
      "Afficher les \\fIFICHIER\\fPs du",
      "répertoire «\\ .\\ » courant\\&.",
      '.B "en gras"',
      ".nf",
      "ls -l /tmp",
      ".fi",
      "Fin\\(emici.",
    ].join("\n");
    expect(manParagraphs(troff)).toEqual([
      "ls - Afficher le contenu",
      "Afficher les FICHIERs du répertoire « . » courant. en gras",
      "Fin—ici.",
    ]);
  });

  it("joins the arguments of alternating-font macros and reads named characters in both forms", () => {
    const troff = [
      "Call",
      ".BR putenv ()",
      "or see",
      ".BR ls (1),",
      '.IR "a file" \\[aq]x\\[aq] .',
      ".B two words",
      "It\\[aq]s \\[lq]here\\[rq] \\[en] \\(ti/.rc \\[unknown]gone",
    ].join("\n");
    expect(manParagraphs(troff)).toEqual([
      "Call putenv() or see ls(1), a file'x'. two words It's \"here\" – ~/.rc gone",
    ]);
  });

  it("splits fortunes at % lines and code at blank lines", () => {
    expect(fortuneEntries("Un.\n  deux\n%\n%\nTrois\n")).toEqual(["Un. deux", "Trois"]);
    expect(codeChunks("a = 1\n\nb = 2\n\n\nc = 3\n", 12)).toEqual(["a = 1\n\nb = 2", "c = 3"]);
  });
});

describe("stripComments", () => {
  it("drops C-style comments and keeps code and URLs", () => {
    const js = '/** Adds.\n * @param a */\nconst url = "http://x"; // note\nlet b = 1;';
    expect(stripComments(js, "c")).toBe('\nconst url = "http://x";\nlet b = 1;');
  });

  it("drops # lines and Perl's POD, keeps the shebang", () => {
    const perl =
      "#!/usr/bin/perl\n# a comment\nmy $x = 1;\n=head1 NAME\n\nProse here.\n\n=cut\nprint $x;\n";
    expect(stripComments(perl, "hash")).toBe("#!/usr/bin/perl\nmy $x = 1;\nprint $x;\n");
  });
});

/** A little-endian .mo file holding these (original, translation) byte strings. */
function moFile(pairs: [Uint8Array, Uint8Array][]): Uint8Array {
  const header = 28;
  let offset = header + 16 * pairs.length;
  const place = (bytes: Uint8Array[]) =>
    bytes.map((b) => {
      const at = offset;
      offset += b.length + 1;
      return at;
    });
  const ids = pairs.map(([id]) => id);
  const texts = pairs.map(([, text]) => text);
  const idOffsets = place(ids);
  const textOffsets = place(texts);
  const mo = new Uint8Array(offset);
  const view = new DataView(mo.buffer);
  [0x950412de, 0, pairs.length, header, header + 8 * pairs.length].forEach((v, i) => {
    view.setUint32(4 * i, v, true);
  });
  pairs.forEach((_, i) => {
    view.setUint32(header + 8 * i, ids[i].length, true);
    view.setUint32(header + 8 * i + 4, idOffsets[i], true);
    view.setUint32(header + 8 * pairs.length + 8 * i, texts[i].length, true);
    view.setUint32(header + 8 * pairs.length + 8 * i + 4, textOffsets[i], true);
    mo.set(ids[i], idOffsets[i]);
    mo.set(texts[i], textOffsets[i]);
  });
  return mo;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("gettext messages", () => {
  it("reads msgid and msgstr pairs from a .mo file, without the header or contexts", () => {
    const mo = moFile(
      [
        ["", "Content-Type: text/plain; charset=UTF-8\n"],
        ["Open _File", "Ouvrir le _fichier"],
        ["menu\u0004Save", "Enregistrer"],
        ["%d file\0%d files", "%d fichier\0%d fichiers"],
      ].map(([id, text]) => [utf8(id), utf8(text)]),
    );
    expect(moMessages(mo)).toEqual([
      { id: "Open _File", text: "Ouvrir le _fichier" },
      { id: "Save", text: "Enregistrer" },
      { id: "%d file", text: "%d fichier" },
    ]);
    expect(() => moMessages(new Uint8Array(28))).toThrow(/not a \.mo/);
  });

  it("reads translations in the charset the header names", () => {
    const mo = moFile([
      [utf8(""), latin1("Content-Type: text/plain; charset=ISO-8859-1\n")],
      [utf8("Directory"), latin1("R\u00e9pertoire")],
    ]);
    expect(moMessages(mo)).toEqual([{ id: "Directory", text: "R\u00e9pertoire" }]);
  });

  it("turns a user-interface string into prose", () => {
    expect(uiText("Ouvrir le _fichier %s dans <b>%2$d</b> fenêtres")).toBe(
      "Ouvrir le fichier dans fenêtres",
    );
    expect(uiText("&Save as… 100%% done")).toBe("Save as… 100 done");
  });
});
