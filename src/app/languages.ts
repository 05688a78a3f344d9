/** Display facts about the four "languages": names, colours and example texts. */
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../ml/router";

export { LANGUAGE_NAMES, LANGUAGES, type Language };

export const LANGUAGE_COLOURS: Record<Language, string> = {
  en: "#2563eb",
  fr: "#dc2626",
  de: "#ca8a04",
  py: "#7c3aed",
};

export const EXAMPLES: Record<Language, string> = {
  en: "To insert a table, open the Table menu and choose Insert Table. You can then set the number of rows and columns.",
  fr: "Pour insérer un tableau, ouvrez le menu Tableau et choisissez Insérer un tableau. Vous pouvez ensuite choisir le nombre de lignes.",
  de: "Um eine Tabelle einzufügen, öffnen Sie das Menü Tabelle und wählen Sie Tabelle einfügen. Danach legen Sie die Anzahl der Zeilen fest.",
  py: "def insert_table(document, rows, columns):\n    table = document.add_table(rows=rows, cols=columns)\n    return table",
};
