import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("recovery from a crashed worker", () => {
  const browser = useBrowser();

  it("restarts the model worker, says so, and keeps the user's text and settings", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&temperature=0.5`);
    const box = page.getByRole("textbox", { name: "Text to route" });
    const decision = page.getByRole("status", { name: "Routing decision" });
    await page.getByRole("button", { name: "French example" }).click();
    await decision.filter({ hasText: "Routed to French" }).waitFor({ timeout: 30_000 });
    const text = await box.inputValue();

    await page.evaluate(() =>
      (
        globalThis as unknown as {
          momeLab: { models: { api: { simulateCrash(): Promise<void> } } };
        }
      ).momeLab.models.api.simulateCrash(),
    );
    await page
      .getByRole("alert")
      .filter({ hasText: "the model worker crashed" })
      .waitFor({ timeout: 30_000 });
    expect(await box.inputValue()).toBe(text);
    expect(new URL(page.url()).searchParams.get("temperature")).toBe("0.5");
    await page
      .getByRole("status", { name: "Compute backend" })
      .filter({ hasText: "Running on WASM" })
      .waitFor({ timeout: 30_000 });

    await page.getByRole("button", { name: "German example" }).click();
    await decision.filter({ hasText: "Routed to German" }).waitFor({ timeout: 30_000 });
    // The simulated crash is the only error the page may report.
    expect(errors.filter((e) => !e.includes("simulated crash"))).toEqual([]);
    await page.close();
  });
});
