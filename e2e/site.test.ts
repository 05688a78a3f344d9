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

  it("measures the backends on a first visit, skipping the software WebGPU adapter and WebGL renderer (SwiftShader), and keeps the result", async () => {
    const context = await browser().newContext();
    const { page, errors } = await openPage(context);
    await page.goto(inject("baseUrl"));
    const status = page.getByRole("status", { name: "Compute backend" });
    await status.filter({ hasText: /Running on|No compute backend/ }).waitFor({ timeout: 60_000 });
    const text = await status.textContent();
    expect(text).toMatch(
      /^Running on WASM · \d+ threads? · the fastest measured here \(generation: WASM [\d,]+ tokens\/s; training: WASM [\d,]+ tokens\/s\)/,
    );
    expect(text).toContain("WebGPU runs on a software renderer here, much slower than WASM");
    expect(text).toContain("WebGL runs on a software renderer here, much slower than WASM");
    // The renderer's name is a technical detail, behind a disclosure.
    await page.getByText("Technical details").click();
    expect(await page.locator(".backend details li").allTextContents()).toEqual([
      expect.stringMatching(
        /^webgpu: renderer: (swiftshader|a fallback adapter); \?backend=webgpu forces it$/i,
      ),
      expect.stringMatching(/^webgl: renderer: swiftshader; \?backend=webgl forces it$/i),
    ]);
    // A second visit uses what the first measured (the same figures), and About shows them.
    await page.goto(`${inject("baseUrl")}?panel=about`);
    await status.filter({ hasText: /Running on/ }).waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toBe(text);
    expect(
      await page.getByText(/^Measured on the first visit \(generation: WASM/).textContent(),
    ).toMatch(/the app generates on WASM and trains on WASM\.$/);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("fits a 320-pixel screen: no tab is wider, even with routed text and the About table", async () => {
    const page = await browser().newPage({ viewport: { width: 320, height: 800 } });
    // A long unbroken token run (a URL) in the per-token evidence, which did not wrap (609 px).
    const text = `Voir https://example.org/un-tres-long-chemin/sans-espaces/${"x".repeat(80)} pour la suite.`;
    await page.goto(
      `${inject("baseUrl")}?backend=wasm&explain=on&text=${encodeURIComponent(text)}`,
    );
    await page
      .getByRole("status", { name: "Routing decision" })
      .filter({ hasText: "Routed to" })
      .waitFor({ timeout: 30_000 });
    const widest = () =>
      page.evaluate(() => {
        // The outermost element that sticks out, named for the failure message.
        let worst = { right: 0, what: "" };
        for (const el of document.querySelectorAll("body *")) {
          const right = Math.round(el.getBoundingClientRect().right);
          if (right > 320 && (el.parentElement?.getBoundingClientRect().right ?? 0) <= 320)
            worst = {
              right,
              what: `${el.tagName.toLowerCase()}.${el.className}: ${el.textContent?.slice(0, 40)}`,
            };
        }
        return { scrollWidth: document.documentElement.scrollWidth, ...worst };
      });
    for (const tab of [
      "Routing",
      "Teacher vs student",
      "Train a student",
      "Forgetting",
      "Add a language",
      "About",
    ]) {
      await page.getByRole("tab", { name: tab }).click();
      await page.getByRole("tabpanel").waitFor();
      if (tab === "About") await page.getByRole("list", { name: "Shipped models" }).waitFor();
      const measured = await widest();
      expect({ tab, ...measured }).toEqual({ tab, ...measured, scrollWidth: 320 });
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
