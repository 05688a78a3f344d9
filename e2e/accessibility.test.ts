import { describe, expect, inject, it } from "vitest";
import { seriousViolations } from "./axe";
import { useBrowser } from "./browser";

const TABS = [
  "Routing",
  "Teacher vs student",
  "Train a student",
  "Forgetting",
  "Add a language",
  "About",
];

describe("accessibility (axe-core)", () => {
  const browser = useBrowser();

  it.each([
    ["light", ""],
    ["dark", ""],
    ["light", "&present=1"],
    ["dark", "&present=1"],
  ] as const)(
    "has no serious or critical violations on any tab, %s theme%s",
    async (colorScheme, presenter) => {
      const context = await browser().newContext({ colorScheme });
      const page = await context.newPage();
      await page.goto(`${inject("baseUrl")}?backend=wasm${presenter}`);
      await page
        .getByRole("status", { name: "Compute backend" })
        .filter({ hasText: /Running on/ })
        .waitFor({ timeout: 60_000 });
      // The page is drawn in the theme the system asks for (its background's brightness).
      const background = await page.evaluate(
        () => getComputedStyle(document.documentElement).backgroundColor,
      );
      const brightness = (background.match(/\d+/g) ?? []).slice(0, 3).map(Number);
      expect(brightness.reduce((a, b) => a + b, 0) > 3 * 128 ? "light" : "dark").toBe(colorScheme);
      // The check can fail: an image with no text alternative is found.
      await page.evaluate(() => {
        const img = document.createElement("img");
        img.id = "axe-probe";
        img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
        document.querySelector("main")?.append(img);
      });
      expect((await seriousViolations(page)).join("\n")).toMatch(/^image-alt \(critical\)/m);
      await page.evaluate(() => document.getElementById("axe-probe")?.remove());
      const found: string[] = [];
      for (const tab of TABS) {
        await page.getByRole("tab", { name: tab }).click();
        await page.getByRole("tabpanel").waitFor();
        await page.waitForTimeout(300); // charts and lists settle
        found.push(...(await seriousViolations(page)).map((v) => `${tab}: ${v}`));
      }
      expect(found).toEqual([]);
      await context.close();
    },
  );
});
