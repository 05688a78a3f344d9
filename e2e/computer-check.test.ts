import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("Check this computer", () => {
  const browser = useBrowser();

  it("measures every backend that starts and says which one the app uses", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?panel=about`);
    await page.getByRole("button", { name: "Check this computer" }).click();
    const table = page.getByRole("table", { name: "Speed of this computer" });
    await table.waitFor({ timeout: 180_000 });
    expect(await table.getByRole("row").count()).toBe(5);
    const row = (backend: string) =>
      table.getByRole("row").filter({ has: page.getByRole("rowheader", { name: backend }) });
    // WASM always starts here: three positive figures.
    // Figures are written the English way ("1,234.5").
    const figures = (await row("WASM").getByRole("cell").allTextContents()).map((f) =>
      Number(f.replaceAll(",", "")),
    );
    expect(figures).toHaveLength(3);
    for (const f of figures) expect(f).toBeGreaterThan(0);
    // A software GPU is named, and only its matrix products are measured.
    expect(await row("WEBGPU").textContent()).toMatch(/not measured: .*software/);
    // SwiftShader's WebGPU is measured when asked for, but the app does not pick it.
    expect(
      await page
        .getByText("The app uses WASM for generation and WASM for training on this computer.")
        .count(),
    ).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000); // four backends, one a software GPU: 80 s here with the machine busy
});
