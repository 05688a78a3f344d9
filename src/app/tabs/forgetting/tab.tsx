import type { Tab } from "../tab";
import { ForgettingPanel } from "./ForgettingPanel";
import { createForgettingSlice, type ForgettingSlice } from "./forgetting";

declare module "../../app-store" {
  interface AppState extends ForgettingSlice {}
}

export const tab: Tab = {
  id: "forget",
  title: "tab.forget",
  Panel: ForgettingPanel,
  slice: ({ workers, urls }) => createForgettingSlice(workers.training, urls),
  busy: (s) => ["preparing", "running"].includes(s.forgettingRun.state),
};
