import type { Tab } from "../tab";
import { AddLanguagePanel } from "./AddLanguagePanel";
import { type AddLanguageSlice, createAddLanguageSlice } from "./add-language";

declare module "../../app-store" {
  interface AppState extends AddLanguageSlice {}
}

export const tab: Tab = {
  id: "add",
  title: "tab.add",
  Panel: AddLanguagePanel,
  slice: ({ workers, urls }) => createAddLanguageSlice(workers, urls),
  busy: (s) => s.addLanguageRun.state === "running",
};
