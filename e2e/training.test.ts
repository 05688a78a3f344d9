import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("training a student in the browser", () => {
  const browser = useBrowser();

  it.each([
    ["wasm", 12],
    ["webgpu", 10], // WebGPU over SwiftShader is ~50x slower than wasm: about 5 s a step here
  ])(
    "trains a tiny CE-only student on %s and draws the losses as they come",
    async (backend, steps) => {
      const { page, errors } = await openPage(browser());
      await page.goto(
        `${inject("baseUrl")}?panel=train&backend=${backend}&distil=off&size=tiny&steps=${steps}`,
      );
      await page.getByRole("button", { name: "Start training" }).click();
      const runs = page.getByRole("list", { name: "Training runs" });
      // The CE chart grows while training runs.
      const ceLine = page
        .getByRole("figure", { name: "CE loss chart" })
        .locator(".recharts-line path")
        .first();
      await ceLine.waitFor({ timeout: 120_000 });
      const early = (await ceLine.getAttribute("d"))?.length ?? 0;
      await runs.filter({ hasText: "done" }).waitFor({ timeout: 240_000 });
      const late = (await ceLine.getAttribute("d"))?.length ?? 0;
      expect(late).toBeGreaterThan(early);
      expect(await runs.textContent()).toMatch(
        new RegExp(
          `done, step ${steps}, CE \\d+\\.\\d{3}, \\d+ tokens/s, validation perplexity \\d+`,
        ),
      );
      expect(
        await page
          .getByRole("figure", { name: "Validation perplexity chart" })
          .locator(".recharts-line path")
          .count(),
      ).toBeGreaterThan(0);
      expect(await page.getByRole("button", { name: "Download student" }).isEnabled()).toBe(true);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it("distils from the teacher with adaptive α, then uses the student in Teacher vs student", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?panel=train&backend=wasm&size=tiny&steps=12&alphaMode=adaptive&maxTokens=8`,
    );
    await page.getByRole("button", { name: "Start training" }).click();
    const runs = page.getByRole("list", { name: "Training runs" });
    await runs.filter({ hasText: "done" }).waitFor({ timeout: 240_000 });
    expect(await runs.textContent()).toContain("adaptive α, forward");
    expect(
      await page
        .getByRole("figure", { name: "KD loss chart" })
        .locator(".recharts-line path")
        .count(),
    ).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Use in Teacher vs student" }).click();
    await page.getByRole("tab", { name: "Teacher vs student", selected: true }).waitFor();
    await page.getByRole("textbox", { name: "Prompt" }).fill("Le document");
    await page.getByRole("button", { name: "Generate" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^Done|failed/ })
      .waitFor({ timeout: 120_000 });
    const student = page.getByRole("region", { name: "Student output" });
    expect(await student.textContent()).toContain("your-student");
    expect(await student.textContent()).toMatch(/0\.\d\d M parameters · \d+ tokens/);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it("refuses a text that is too short, with a message", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?panel=train&backend=wasm&corpus=custom`);
    const box = page.getByRole("textbox", { name: "Your training text" });
    await box.fill("far too short");
    await box.blur();
    expect(await page.getByRole("alert").textContent()).toContain("too short to train on");
    await page.getByRole("button", { name: "Start training" }).click();
    await page.getByRole("list", { name: "Training runs" }).filter({ hasText: "failed" }).waitFor();
    expect(await page.getByRole("list", { name: "Training runs" }).textContent()).toContain(
      "paste or upload a text first",
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
