import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("the built site in Chromium", () => {
  const browser = useBrowser();

  it.each([
    ["?backend=webgpu", "WEBGPU"],
    ["?backend=webgl", "WEBGL"],
    ["?backend=wasm", "WASM"],
    ["?backend=cpu", "CPU"],
  ])("starts the model worker (%s) on %s with no console errors", async (query, expected) => {
    const { page, errors } = await openPage(browser());
    await page.goto(inject("baseUrl") + query);
    const status = page.getByRole("status", { name: "Compute backend" });
    await status.filter({ hasText: /Running on|No compute backend/ }).waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(new RegExp(`^Running on ${expected}`));
    await page
      .getByText("No pre-trained models are shipped yet.")
      .or(page.getByRole("list", { name: "Shipped models" }))
      .waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("skips the software WebGPU adapter and WebGL renderer (SwiftShader) unless the link asks for them", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(inject("baseUrl"));
    const status = page.getByRole("status", { name: "Compute backend" });
    await status.filter({ hasText: /Running on|No compute backend/ }).waitFor({ timeout: 60_000 });
    const text = await status.textContent();
    expect(text).toMatch(/^Running on WASM · \d+ threads?/);
    expect(text).toMatch(
      /webgpu \(its adapter is a (software renderer|fallback \(software\) adapter)/,
    );
    expect(text).toMatch(/webgl \(its renderer is a software one \(swiftshader\)/i);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("fits a phone's screen: no panel is wider than 375 pixels", async () => {
    const page = await browser().newPage({ viewport: { width: 375, height: 800 } });
    await page.goto(`${inject("baseUrl")}?backend=wasm`);
    for (const tab of ["Routing", "Teacher vs student", "Train a student", "About"]) {
      await page.getByRole("tab", { name: tab }).click();
      await page.getByRole("tabpanel").waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        375,
      );
    }
    await page.close();
  });

  it("shows the shipped models' validation perplexity from the manifest on the About panel", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&panel=about`);
    const table = page.getByRole("table", { name: "Validation perplexity of the shipped models" });
    const teacher = table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: "teacher" }) });
    await teacher.waitFor({ timeout: 30_000 });
    expect(await table.getByRole("row").count()).toBe(7); // header, teacher, 4 experts, common
    expect(await teacher.getByRole("cell").allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\d+$/)]),
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it("moves between tabs with the arrow keys, Home and End (one tab stop)", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm`);
    const selected = () =>
      page.getByRole("tab", { selected: true }).textContent({ timeout: 5_000 });
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    await page.getByRole("tab", { name: "Routing" }).focus();
    await page.keyboard.press("ArrowRight");
    expect([await selected(), await focused()]).toEqual([
      "Teacher vs student",
      "Teacher vs student",
    ]);
    await page.keyboard.press("End");
    expect(await selected()).toBe("About");
    await page.keyboard.press("ArrowRight");
    expect(await selected()).toBe("Routing");
    await page.keyboard.press("ArrowLeft");
    expect([await selected(), await focused()]).toEqual(["About", "About"]);
    await page.keyboard.press("Home");
    expect(await selected()).toBe("Routing");
    expect(new URL(page.url()).searchParams.get("panel")).toBeNull(); // the default panel
    expect(await page.getByRole("tab", { name: "About" }).getAttribute("tabindex")).toBe("-1");
    expect(errors).toEqual([]);
    await page.close();
  });
});
