import { describe, expect, it } from "vitest";
import {
  codeChunks,
  fortuneEntries,
  htmlParagraphs,
  looksLikeCode,
  manParagraphs,
  stripComments,
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
