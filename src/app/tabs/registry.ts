/**
 * Every tab, in the order of the settings' PANELS: each folder here with a tab.tsx is found and
 * checked (a folder whose id PANELS lacks, or an id with no folder, stops the app at once).
 */
import { PANELS } from "../settings";
import type { Tab } from "./tab";

const descriptors = Object.entries(
  import.meta.glob<Tab>("./*/tab.tsx", { eager: true, import: "tab" }),
);

function inPanelOrder(): readonly Tab[] {
  for (const [file, tab] of descriptors)
    if (!PANELS.includes(tab.id)) throw new Error(`${file}: tab ${tab.id} is not listed in PANELS`);
  return PANELS.map((id) => {
    const found = descriptors.filter(([, tab]) => tab.id === id);
    if (found.length !== 1)
      throw new Error(`PANELS lists ${id}: ${found.length} tab folders declare it, not 1`);
    return found[0][1];
  });
}

export const TABS = inPanelOrder();
