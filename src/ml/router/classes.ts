/**
 * The router's classes are data: the file lists them with display names and the expert each one
 * routes to. A class whose expert is null is "none of these" (the common expert takes the text).
 */
import { expertName, LANGUAGE_LAYOUTS, LANGUAGE_NAMES, LANGUAGES, type Layout } from "../languages";

/** The class id of "none of these" in the shipped router. */
export const NONE = "none";

export interface RouterClass {
  id: string;
  name: string;
  /** The model that takes this class's texts; null: none of these (the common expert). */
  expert: string | null;
  /** How a prompt is laid out for its expert: prose paragraphs as documents, or code as one. */
  layout: Layout;
}

/** The four languages as router classes, each routed to its expert. */
export const LANGUAGE_CLASSES: readonly RouterClass[] = LANGUAGES.map((id) => ({
  id,
  name: LANGUAGE_NAMES[id],
  expert: expertName(id),
  layout: LANGUAGE_LAYOUTS[id],
}));

export const NONE_CLASS: RouterClass = {
  id: NONE,
  name: "None of these",
  expert: null,
  layout: "prose",
};

/** A class as a router file may hold it: a short id, a name, an expert or null, a layout. */
export function validClass(c: unknown): c is RouterClass {
  const k = c as RouterClass;
  return (
    typeof k?.id === "string" &&
    /^[a-z][a-z0-9_-]{0,15}$/.test(k.id) &&
    typeof k.name === "string" &&
    k.name.length > 0 &&
    k.name.length <= 40 &&
    (k.expert === null || (typeof k.expert === "string" && /^[\w.-]{1,64}$/.test(k.expert))) &&
    (k.layout === "prose" || k.layout === "code")
  );
}
