/**
 * A catalogue text with markup: <name>…</name> in the text becomes `components[name]` around the
 * translated words, so a sentence's links and emphasis stay where each language puts them.
 */
import type { ReactElement } from "react";
import { Trans } from "react-i18next";
import type { TextKey, Values } from "./catalogues";

export function Rich({
  k,
  components = {},
  values,
}: {
  k: TextKey;
  components?: Record<string, ReactElement>;
  values?: Values;
}) {
  // Trans's key type is i18next's whole key union: too large for TypeScript here, so plain string.
  return <Trans i18nKey={k as string} components={components} values={values} />;
}
