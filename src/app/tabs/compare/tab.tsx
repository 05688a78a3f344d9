import { translate } from "../../i18n";
import type { Tab } from "../tab";
import { ComparePanel } from "./ComparePanel";
import { type CompareSlice, createCompareSlice } from "./compare";

declare module "../../app-store" {
  interface AppState extends CompareSlice {}
}

export const tab: Tab = {
  id: "compare",
  title: "tab.compare",
  Panel: ComparePanel,
  slice: ({ workers, urls }) => createCompareSlice(workers.models, urls.models),
  modelWorkerRestarted({ get, set }, reason) {
    // The generation died with the worker: say so, and let the user generate again.
    const { compare } = get();
    if (compare.state === "loading" || compare.state === "generating")
      set({
        compare: {
          ...compare,
          state: "error",
          message: translate("compare.restarted", { why: reason }),
        },
      });
  },
};
