/**
 * A text to show later, in whatever language is spoken then: a catalogue key and what fills it
 * in. A value may itself be a message ("{{setting}} {{problem}}"), worded in the same language.
 */
import type { TextKey, Translate } from "./catalogues";

export interface Message {
  key: TextKey;
  values?: Readonly<Record<string, string | number | Message>>;
}

export const message = (key: TextKey, values?: Message["values"]): Message =>
  values ? { key, values } : { key };

/** `m` in the language `t` speaks, its inner messages included. */
export function say(t: Translate, m: Message): string {
  const values = Object.fromEntries(
    Object.entries(m.values ?? {}).map(([name, v]) =>
      typeof v === "object" ? [name, say(t, v)] : [name, v],
    ),
  );
  return t(m.key, values);
}
