import { describe, expect, it } from "vitest";
import { htmlParagraphs, looksLikeCode } from "../scripts/corpus-text";

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
