/** The tab registry: every id the settings list has one folder, in that order, each named once. */
import { describe, expect, it } from "vitest";
import { PANELS } from "../src/app/settings";
import { TABS } from "../src/app/tabs/registry";

describe("tabs", () => {
  it("finds one descriptor per panel id, in the settings' order, with distinct titles", () => {
    expect(TABS.map((t) => t.id)).toEqual([...PANELS]);
    expect(new Set(TABS.map((t) => t.title)).size).toBe(TABS.length);
    for (const tab of TABS) expect(typeof tab.Panel).toBe("function");
  });
});
