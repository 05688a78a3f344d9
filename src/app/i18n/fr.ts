/** Le catalogue français (mêmes clés que en.ts ; termes fixés dans docs/glossary.md). */
import type { Catalogue } from "./en";

export const fr: Catalogue = {
  "page.title": "MoME Lab — un mélange d'experts modulaires dans votre navigateur",
  "header.title": "MoME Lab",
  "header.intro":
    "Un mélange d'experts modulaires dans votre navigateur : un grand modèle de langue enseignant, multilingue, distillé en petits experts pour l'anglais, le français, l'allemand et Python, entre lesquels choisit un routeur.",
  "header.menu": "Menu",
  "header.language": "Langue",
  "tabs.label": "Onglets",
  "tabs.locked": "L'onglet est",
  "tab.route": "Routage",
  "tab.compare": "Enseignant et élève",
  "tab.train": "Entraîner un élève",
  "tab.forget": "Oubli",
  "tab.add": "Ajouter une langue",
  "tab.about": "À propos",
  "lesson.progress": "Étape {{step}} sur {{total}}",
  "lesson.previous": "Étape précédente",
  "lesson.next": "Étape suivante",
  "lesson.close": "Fermer la leçon",
  "lesson.foldText": "Replier le texte",
  "lesson.showText": "Afficher le texte",
  "lesson.toSide": "Carte sur le côté",
  "lesson.below": "Carte en dessous",
  "lesson.keys": "Les flèches ← et → passent d'une étape à l'autre.",
  "notice.link":
    "Certains réglages du lien n'étaient pas valables ; leurs valeurs par défaut sont utilisées :",
  "notice.ok": "D'accord",
  "shortcuts.title": "Raccourcis clavier",
  "shortcuts.when": "Ils fonctionnent tant qu'aucun champ de texte n'a le focus.",
  "shortcuts.close": "Fermer",
  "footer.models": "Modèles fournis",
};
