/**
 * The English catalogue: every key the UI looks up, with its English text. It is the source: the
 * other catalogues must give the same keys (their type says so). {{name}} marks a value filled in;
 * a key ending in _one / _other is a plural (i18next picks by count).
 */
export const en = {
  "page.title": "MoME Lab — Mixture of Modular Experts in your browser",
  "header.title": "MoME Lab",
  "header.intro":
    "Mixture of Modular Experts in your browser: one multilingual teacher language model, distilled into small experts for English, French, German and Python, chosen by a router.",
  "header.menu": "Menu",
  "header.language": "Language",
  "tabs.label": "Panels",
  "tabs.locked": "The tab is",
  "tab.route": "Routing",
  "tab.compare": "Teacher vs student",
  "tab.train": "Train a student",
  "tab.forget": "Forgetting",
  "tab.add": "Add a language",
  "tab.about": "About",
  "lesson.progress": "Step {{step}} of {{total}}",
  "lesson.previous": "Previous step",
  "lesson.next": "Next step",
  "lesson.close": "Close lesson",
  "lesson.foldText": "Fold the text",
  "lesson.showText": "Show the text",
  "lesson.toSide": "Card to the side",
  "lesson.below": "Card below",
  "lesson.keys": "The arrow keys ← and → move between steps.",
  "notice.link": "Some settings in the link were not valid, so their defaults are used:",
  "notice.ok": "OK",
  "shortcuts.title": "Keyboard shortcuts",
  "shortcuts.when": "They work whenever no text field has the focus.",
  "shortcuts.close": "Close",
  "footer.models": "Shipped models",
} as const;

export type CatalogueKey = keyof typeof en;
/** Another language's catalogue: the same keys, every one translated. */
export type Catalogue = Record<CatalogueKey, string>;
