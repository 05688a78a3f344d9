import type { Tab } from "../tab";
import { AboutPanel } from "./AboutPanel";
import { createModelExportSlice, type ModelExportSlice } from "./exports";

declare module "../../app-store" {
  interface AppState extends ModelExportSlice {}
}

export const tab: Tab = {
  id: "about",
  title: "tab.about",
  Panel: AboutPanel,
  slice: ({ workers, urls }) => createModelExportSlice(workers.models, urls.models),
};
