import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("Add a language", () => {
  const browser = useBrowser();

  it("adds Spanish from the bundled corpus: a router class, a new expert, the old experts untouched", async () => {
    const { page, errors } = await openPage(browser());
    // A link can ask for a bundled language: the Add a language tab opens with it chosen.
    await page.goto(
      `${inject("baseUrl")}?backend=wasm&add=es&addSteps=2&addDistil=off&maxTokens=2`,
    );
    expect(await page.getByRole("tab", { selected: true }).textContent()).toBe("Add a language");
    expect(await page.getByRole("combobox", { name: "Language to add" }).inputValue()).toBe("es");
    await page.getByRole("button", { name: "Add language" }).click();
    const shared = page.getByRole("table", { name: "Shared model before and after" });
    await shared.waitFor({ timeout: 120_000 });
    expect(
      await page.getByRole("status", { name: "The router's new class" }).textContent(),
    ).toMatch(
      /^The router now has 6 classes \(English, French, German, Python, Spanish, None of these\)/,
    );
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
    // The routed student for a Spanish prompt is the new expert; it can also be chosen.
    await page.getByRole("tab", { name: "Teacher vs student" }).click();
    await page
      .getByRole("textbox", { name: "Prompt" })
      .fill("Para guardar el documento, abra el menú");
    const student = page.getByRole("region", { name: "Student output" });
    const generate = async (generation: number) => {
      await page.getByRole("button", { name: "Generate" }).click();
      await page
        .getByRole("status")
        .filter({ hasText: new RegExp(`^Done \\(generation ${generation}\\)|failed`) })
        .waitFor({ timeout: 60_000 });
    };
    await generate(1);
    expect(await student.textContent()).toContain("expert-es");
    await page
      .getByRole("combobox", { name: "Student" })
      .selectOption({ label: "Spanish expert (added)" });
    await page.getByRole("textbox", { name: "Prompt" }).fill("The menu");
    await generate(2);
    expect(await student.textContent()).toContain("expert-es");
    await page.getByRole("tab", { name: "Routing" }).click();
    // It survives a reload (IndexedDB), and can be removed.
    await page.reload();
    await page
      .getByRole("status", { name: "Routing decision" })
      .filter({ hasText: "Routed to Spanish" })
      .waitFor({ timeout: 30_000 });
    await page.getByRole("tab", { name: "Add a language" }).click();
    await page.getByRole("button", { name: "Remove Spanish" }).click();
    await page.getByRole("tab", { name: "Routing" }).click();
    await page
      .getByRole("status", { name: "Routing decision" })
      .filter({ hasText: "None of these" })
      .waitFor({ timeout: 20_000 });
    await page.reload();
    await page
      .getByRole("status", { name: "Routing decision" })
      .filter({ hasText: "None of these" })
      .waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("Add a language from one's own text", () => {
  const browser = useBrowser();

  it("names the language, takes the pasted text, and routes that language to its new expert", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?backend=wasm&panel=add&add=custom&addSteps=2&addDistil=off`,
    );
    const italian = readFileSync(
      join(import.meta.dirname, "..", "public", "corpora", "it.txt"),
      "utf8",
    );
    await page.getByRole("textbox", { name: "Name of your language" }).fill("Italiano");
    const text = page.getByRole("textbox", { name: "Your training text" });
    await text.fill(italian.slice(0, 60_000));
    await text.blur();
    await page.getByRole("button", { name: "Add language" }).click();
    await page
      .getByRole("table", { name: "Shared model before and after" })
      .waitFor({ timeout: 120_000 });
    expect(
      await page.getByRole("status", { name: "The router's new class" }).textContent(),
    ).toMatch(/\(English, French, German, Python, Italiano, None of these\)/);
    await page.getByRole("tab", { name: "Routing" }).click();
    await page
      .getByRole("textbox", { name: "Text to route" })
      .fill("Per inserire una tabella, aprite il menu Tabella e scegliete Inserisci tabella.");
    await page
      .getByRole("status", { name: "Routing decision" })
      .filter({ hasText: "Routed to Italiano" })
      .waitFor({ timeout: 20_000 });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("Stopping Add a language", () => {
  const browser = useBrowser();

  it.each([
    ["while the router is re-fitted", /re-fitting the router/],
    ["while the expert trains", /step \d+ of 800/],
  ])("%s leaves the router and the experts as they were, and says so", async (_when, step) => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&add=es&addSteps=400&addDistil=off`);
    await page.getByRole("button", { name: "Add language" }).click();
    const progress = page.getByRole("status", { name: "Add a language progress" });
    await progress.filter({ hasText: step }).waitFor({ timeout: 120_000 });
    await page.getByRole("button", { name: "Stop" }).click();
    await page
      .getByText("Stopped: the router and the experts are as they were before the run.")
      .waitFor({ timeout: 60_000 });
    expect(await page.getByRole("button", { name: "Add language" }).isEnabled()).toBe(true);
    expect(
      await page.getByRole("table", { name: "Existing experts before and after" }).count(),
    ).toBe(0);
    // The router still hands Spanish to the common expert, now and after a reload.
    for (const reload of [false, true]) {
      if (reload) await page.reload();
      await page.getByRole("tab", { name: "Routing" }).click();
      await page
        .getByRole("textbox", { name: "Text to route" })
        .fill("Para insertar una tabla, abra el menú Tabla y elija Insertar tabla.");
      await page
        .getByRole("status", { name: "Routing decision" })
        .filter({ hasText: "None of these" })
        .waitFor({ timeout: 30_000 });
    }
    // The Teacher vs student list offers no added expert.
    await page.getByRole("tab", { name: "Teacher vs student" }).click();
    expect(
      await page
        .getByRole("combobox", { name: "Student" })
        .locator("option", { hasText: "Spanish" })
        .count(),
    ).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
