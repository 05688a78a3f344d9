import type { Tab } from "../tab";
import { AboutPanel } from "./AboutPanel";

export const tab: Tab = { id: "about", title: "tab.about", Panel: AboutPanel };
