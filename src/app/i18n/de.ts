/** Der deutsche Katalog (dieselben Schlüssel wie en.ts; Begriffe festgelegt in docs/glossary.md). */
import type { Catalogue } from "./en";

export const de: Catalogue = {
  "page.title": "MoME Lab – eine Mischung modularer Experten in Ihrem Browser",
  "header.title": "MoME Lab",
  "header.intro":
    "Eine Mischung modularer Experten in Ihrem Browser: ein großes, mehrsprachiges Lehrer-Sprachmodell, destilliert in kleine Experten für Englisch, Französisch, Deutsch und Python, zwischen denen ein Router wählt.",
  "header.menu": "Menü",
  "header.language": "Sprache",
  "tabs.label": "Reiter",
  "tabs.locked": "Der Reiter ist",
  "tab.route": "Routing",
  "tab.compare": "Lehrer und Schüler",
  "tab.train": "Einen Schüler trainieren",
  "tab.forget": "Vergessen",
  "tab.add": "Eine Sprache hinzufügen",
  "tab.about": "Über",
  "lesson.progress": "Schritt {{step}} von {{total}}",
  "lesson.previous": "Vorheriger Schritt",
  "lesson.next": "Nächster Schritt",
  "lesson.close": "Lektion schließen",
  "lesson.foldText": "Text einklappen",
  "lesson.showText": "Text zeigen",
  "lesson.toSide": "Karte zur Seite",
  "lesson.below": "Karte nach unten",
  "lesson.keys": "Die Pfeiltasten ← und → wechseln zwischen den Schritten.",
  "notice.link":
    "Einige Einstellungen im Link waren ungültig; stattdessen gelten ihre Standardwerte:",
  "notice.ok": "OK",
  "shortcuts.title": "Tastenkürzel",
  "shortcuts.when": "Sie wirken, solange kein Textfeld den Fokus hat.",
  "shortcuts.close": "Schließen",
  "footer.models": "Mitgelieferte Modelle",
};
