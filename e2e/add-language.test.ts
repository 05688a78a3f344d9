import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("Add a language", () => {
  const browser = useBrowser();

  it("adds Spanish from the bundled corpus: a router class, a new expert, the old experts untouched", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&panel=add&addSteps=2&addDistil=off`);
    await page.getByRole("button", { name: "Add language" }).click();
    const shared = page.getByRole("table", { name: "Shared model before and after" });
    await shared.waitFor({ timeout: 120_000 });
    expect(
      await page.getByRole("status", { name: "The router's new class" }).textContent(),
    ).toMatch(/^The router now has 6 classes \(en, fr, de, py, es, none\)/);
    const experts = page.getByRole("table", { name: "Existing experts before and after" });
    expect(await experts.locator("caption").textContent()).toContain("identical");
    for (const row of await experts.locator("tbody tr").all()) {
      const cells = await row.locator("td").allTextContents();
      expect(cells[0]).toBe(cells[1]); // perplexity before = after
      expect(cells[2]).toBe(cells[3]); // weights' hash before = after
    }
    expect(await shared.locator("tbody tr").count()).toBe(5);
    // Spanish is now routed to its own expert.
    await page.getByRole("tab", { name: "Routing" }).click();
    await page
      .getByRole("textbox", { name: "Text to route" })
      .fill("Para insertar una tabla, abra el menú Tabla y elija Insertar tabla.");
    await page
      .getByRole("status", { name: "Routing decision" })
      .filter({ hasText: "Routed to Spanish" })
      .waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});
