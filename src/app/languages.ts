/** Display facts about the router's classes: colours and example texts. */
import { LANGUAGE_COLOURS, LANGUAGE_NAMES, LANGUAGES, type Language } from "../ml/languages";

export { LANGUAGE_COLOURS, LANGUAGE_NAMES, LANGUAGES, type Language };

export const EXAMPLES: Record<Language, string> = {
  en: "To insert a table, open the Table menu and choose Insert Table. You can then set the number of rows and columns.",
  fr: "Pour insérer un tableau, ouvrez le menu Tableau et choisissez Insérer un tableau. Vous pouvez ensuite choisir le nombre de lignes.",
  de: "Um eine Tabelle einzufügen, öffnen Sie das Menü Tabelle und wählen Sie Tabelle einfügen. Danach legen Sie die Anzahl der Zeilen fest.",
  py: "def insert_table(document, rows, columns):\n    table = document.add_table(rows=rows, cols=columns)\n    return table",
};

/** Texts of none of the four: the router should hand them to the common expert. */
export const NONE_EXAMPLES = {
  Spanish:
    "Para insertar una tabla, abra el menú Tabla y elija Insertar tabla. Después puede elegir el número de filas y columnas.",
  JavaScript:
    "function insertTable(doc, rows, columns) {\n  const table = doc.createTable({ rows, columns });\n  return table;\n}",
};

const NONE_COLOUR = "#6b7280";
/** Colours for classes beyond the four (an added language), in order. */
const EXTRA_COLOURS = ["#059669", "#db2777", "#0891b2", "#ea580c", "#4f46e5", "#65a30d"];

/** A class's colour: the four languages' own, grey for none, then a palette by position. */
export function classColour(id: string, index: number): string {
  if (id === "none") return NONE_COLOUR;
  return LANGUAGE_COLOURS[id as Language] ?? EXTRA_COLOURS[index % EXTRA_COLOURS.length];
}
