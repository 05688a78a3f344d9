/** The UI's language: a link's `lang` opens the app in it; <html lang> and the title follow. */
import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("the UI's language", () => {
  const browser = useBrowser();

  it("follows a link's lang=fr (tabs, lesson card, <html lang>, title), and English stays the default", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&lang=fr&lesson=2`);
    await page.getByRole("tab", { name: "Routage", selected: true }).waitFor();
    await page.getByText("Étape 2 sur 9").waitFor();
    expect(await page.getByRole("button", { name: "Étape suivante" }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    expect(await page.title()).toContain("experts modulaires");
    await page.goto(`${inject("baseUrl")}?backend=wasm&lang=de&panel=train`);
    await page.getByRole("tab", { name: "Einen Schüler trainieren", selected: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
    expect(errors).toEqual([]);
    await page.close();
  });
});
