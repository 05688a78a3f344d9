import type { Tab } from "../tab";
import { AboutPanel } from "./AboutPanel";

export const tab: Tab = { id: "about", title: "About", Panel: AboutPanel };
