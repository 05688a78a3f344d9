import type { Tab } from "../tab";
import { TrainPanel } from "./TrainPanel";
import { createTrainingSlice, type TrainingSlice } from "./training";

declare module "../../app-store" {
  interface AppState extends TrainingSlice {}
}

export const tab: Tab = {
  id: "train",
  title: "tab.train",
  Panel: TrainPanel,
  slice: ({ workers, urls }) => createTrainingSlice(workers, urls),
  busy: (s) => s.runs.some((r) => ["preparing", "running", "paused"].includes(r.state)),
};
