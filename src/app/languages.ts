/** Display facts about the router's classes: names in the UI's language, colours and example texts. */
import { LANGUAGE_COLOURS, LANGUAGES, type Language } from "../ml/languages";
import { useT } from "./i18n";
import type { TextKey, Translate } from "./i18n/catalogues";

export { LANGUAGE_COLOURS, LANGUAGES, type Language };

/** Each class's name in the catalogues ("none": none of the four; es and it: the addable ones). */
const CLASS_NAMES: Record<Language | "none" | "es" | "it", TextKey> = {
  en: "language.en",
  fr: "language.fr",
  de: "language.de",
  py: "language.py",
  none: "language.none",
  es: "language.spanish",
  it: "language.italian",
};

/** A class's name in `t`'s language; an added language keeps the name it was given (`name`). */
export const classNameIn = (t: Translate, id: string, name?: string): string =>
  id in CLASS_NAMES ? t(CLASS_NAMES[id as Language]) : (name ?? id);

/** A class's name in the UI's language (the component renders again when it changes). */
export function useClassName(): (id: string, name?: string) => string {
  const t = useT();
  return (id, name) => classNameIn(t, id, name);
}

export const EXAMPLES: Record<Language, string> = {
  en: "To insert a table, open the Table menu and choose Insert Table. You can then set the number of rows and columns.",
  fr: "Pour insérer un tableau, ouvrez le menu Tableau et choisissez Insérer un tableau. Vous pouvez ensuite choisir le nombre de lignes.",
  de: "Um eine Tabelle einzufügen, öffnen Sie das Menü Tabelle und wählen Sie Tabelle einfügen. Danach legen Sie die Anzahl der Zeilen fest.",
  py: "def insert_table(document, rows, columns):\n    table = document.add_table(rows=rows, cols=columns)\n    return table",
};

/** Texts of none of the four: the router should hand them to the common expert. */
export const NONE_EXAMPLES = {
  Spanish: {
    name: "language.spanish",
    text: "Para insertar una tabla, abra el menú Tabla y elija Insertar tabla. Después puede elegir el número de filas y columnas.",
  },
  JavaScript: {
    name: "language.javascript",
    text: "function insertTable(doc, rows, columns) {\n  const table = doc.createTable({ rows, columns });\n  return table;\n}",
  },
} satisfies Record<string, { name: TextKey; text: string }>;

const NONE_COLOUR = "#6b7280";
/** Colours for classes beyond the four (an added language), in order. */
const EXTRA_COLOURS = ["#059669", "#db2777", "#0891b2", "#ea580c", "#4f46e5", "#65a30d"];

/** A class's colour: the four languages' own, grey for none, then a palette by position. */
export function classColour(id: string, index: number): string {
  if (id === "none") return NONE_COLOUR;
  return LANGUAGE_COLOURS[id as Language] ?? EXTRA_COLOURS[index % EXTRA_COLOURS.length];
}
