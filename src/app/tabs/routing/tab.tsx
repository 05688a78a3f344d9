import type { Tab } from "../tab";
import { RoutingPanel } from "./RoutingPanel";
import { createRouterLabSlice, type RouterLabSlice } from "./router-lab";

declare module "../../app-store" {
  interface AppState extends RouterLabSlice {}
}

export const tab: Tab = {
  id: "route",
  title: "tab.route",
  Panel: RoutingPanel,
  slice: ({ workers, urls }) => createRouterLabSlice(workers.models, urls),
  modelWorkerRestarted({ get, set, workers }, reason) {
    // The lab's router lived in the model worker: the shipped one routes again (an added
    // language comes back with start(), which restores it).
    void workers.router.call((w) => w.useRouter(null)).catch(() => undefined);
    const lab = get().routerLab;
    set({
      routerLab: {
        ...lab,
        inUse: false,
        state: lab.state === "training" ? "failed" : lab.state,
        message: lab.state === "training" ? reason : lab.message,
      },
    });
  },
};
