/**
 * The address bar shows the settings' link, never longer than hosts accept (settingsLink). A text
 * too long for it stays out of the address and is kept in this tab's session storage, under the
 * address it left, so a reload brings it back; a link copied from the address doesn't carry it.
 */
import {
  LONG_TEXTS,
  type LongTextKey,
  parseValue,
  SETTINGS,
  type Settings,
  settingsLink,
} from "./settings";

const STORAGE_KEY = "mome-lab:texts-out-of-the-address";

type KeptTexts = Partial<Record<LongTextKey, string>>;

/** This tab's session storage, or null where there is none (some private windows, Node). */
function tabStorage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

const here = () => `${location.pathname}${location.search}`;

/** Puts `settings` in the address bar; returns the texts left out of it (kept in this tab). */
export function showInAddressBar(settings: Settings): LongTextKey[] {
  const { url, leftOut } = settingsLink(`${location.origin}${location.pathname}`, settings);
  history.replaceState(null, "", `${location.pathname}${new URL(url).search}${location.hash}`);
  const storage = tabStorage();
  try {
    if (leftOut.length === 0) storage?.removeItem(STORAGE_KEY);
    else {
      const texts = Object.fromEntries(leftOut.map((key) => [key, settings[key]]));
      storage?.setItem(STORAGE_KEY, JSON.stringify({ address: here(), texts }));
    }
  } catch {
    // Storage full or refused: the text stays on the page, only a reload would lose it.
  }
  return leftOut;
}

/** The texts this tab kept out of the address it shows now (each checked as a link's would be). */
export function textsKeptOutOfAddress(): KeptTexts {
  try {
    const saved = JSON.parse(tabStorage()?.getItem(STORAGE_KEY) ?? "null") as {
      address?: unknown;
      texts?: Record<string, unknown>;
    } | null;
    if (!saved || saved.address !== here() || typeof saved.texts !== "object") return {};
    const kept: KeptTexts = {};
    for (const key of LONG_TEXTS) {
      const raw = saved.texts?.[key];
      if (typeof raw !== "string") continue;
      const parsed = parseValue(SETTINGS[key], raw);
      if ("value" in parsed) kept[key] = String(parsed.value);
    }
    return kept;
  } catch {
    return {};
  }
}
