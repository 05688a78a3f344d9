import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("the Forgetting tab", () => {
  const browser = useBrowser();

  it("runs the forgetting experiment, draws its chart phase by phase and reads the result", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&panel=forget&forgetSteps=2`);
    await page.getByRole("button", { name: "Run forgetting experiment" }).click();
    // The chart appears after the first phase, before the run ends.
    const chart = page.getByRole("figure", { name: "Perplexity after each phase" });
    await chart.locator(".recharts-line").first().waitFor({ timeout: 60_000 });
    const caption = page.getByRole("status", { name: "What the run shows" });
    await caption.waitFor({ timeout: 60_000 });
    expect(await caption.textContent()).toMatch(/^Trained in sequence, the student forgot/);
    const rows = page
      .getByRole("table", { name: "Forgetting results", exact: true })
      .locator("tbody tr");
    expect(await rows.count()).toBe(9);
    expect(await rows.last().textContent()).toMatch(/Experts behind the router([\d,]+\.\d){4}/);
    await page.getByText(/Finished in \d+ s/).waitFor();
    // And the studies `npm run reproduce` ran offline, as charts.
    const setups = page.getByRole("figure", { name: "MoE set-ups" });
    await setups.waitFor();
    expect(await setups.textContent()).toMatch(
      /English: PLE \d+\.\d, JEET \d+\.\d, MoE-CE \d+\.\d/,
    );
    await page.getByRole("figure", { name: "Reproduced forgetting study" }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
