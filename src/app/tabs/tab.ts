/**
 * A tab of the app: one folder under tabs/ with its panel, its slice of the store and a
 * descriptor (tab.tsx, exporting `tab`). registry.ts finds every folder's descriptor and orders
 * them as the settings' PANELS list does: a new tab is one folder plus its id in PANELS.
 */
import type { ComponentType } from "react";
import type { StateCreator } from "zustand";
import type { AppState, AppWorkers, SiteUrls } from "../app-store";
import type { TextKey } from "../i18n/catalogues";
import type { Panel } from "../settings";

/** What a tab's slice is made with. */
export interface SliceDeps {
  workers: AppWorkers;
  urls: SiteUrls;
}

/** What a tab may read and change of the store when something happens to the workers. */
export interface StoreAccess {
  get: () => AppState;
  set: (partial: Partial<AppState>) => void;
  workers: AppWorkers;
}

export interface Tab {
  id: Panel;
  /** The tab's name on its button (its key in the catalogues). */
  title: TextKey;
  Panel: ComponentType;
  /** Its slice of the store (state and actions); its module adds the slice to AppState. */
  slice?: (deps: SliceDeps) => StateCreator<AppState, [], [], object>;
  /** Whether leaving the page now would lose the tab's work (the page asks first). */
  busy?: (state: AppState) => boolean;
  /** The model worker crashed or lost its GPU and was restarted: what the tab drops or redoes. */
  modelWorkerRestarted?: (store: StoreAccess, reason: string) => void;
}
