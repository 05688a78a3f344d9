import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

/** Calls a test hook of one of the page's workers (see `momeLab` in src/app/store.ts). */
function callWorker(
  page: Page,
  worker: "router" | "models" | "training",
  hook: string,
): Promise<void> {
  return page.evaluate(
    ([w, h]) =>
      (
        globalThis as unknown as {
          momeLab: Record<string, { api: Record<string, () => Promise<void>> }>;
        }
      ).momeLab[w].api[h](),
    [worker, hook] as const,
  );
}

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
    // The router has its own worker: wait for the model worker's start-up to end too.
    await page.getByRole("list", { name: "Shipped models" }).waitFor({ timeout: 30_000 });

    await callWorker(page, "models", "simulateCrash");
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

  it("restarts the router worker, says so, and routes the user's text again", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm`);
    const decision = page.getByRole("status", { name: "Routing decision" });
    await page.getByRole("button", { name: "German example" }).click();
    await decision.filter({ hasText: "Routed to German" }).waitFor({ timeout: 30_000 });
    await callWorker(page, "router", "simulateCrash");
    await page
      .getByRole("alert")
      .filter({ hasText: "the router worker crashed" })
      .waitFor({ timeout: 30_000 });
    await decision.filter({ hasText: "Routed to German" }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Python example" }).click();
    await decision.filter({ hasText: "Routed to Python" }).waitFor({ timeout: 30_000 });
    expect(errors.filter((e) => !e.includes("simulated crash"))).toEqual([]);
    await page.close();
  });

  it("recovers from a lost WebGPU device: restarts the worker, keeps the text, routes and generates again", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?panel=compare&backend=webgpu&maxTokens=2&prompt=Le%20document`,
    );
    const backend = page.getByRole("status", { name: "Compute backend" });
    await backend.filter({ hasText: "Running on WEBGPU" }).waitFor({ timeout: 60_000 });
    await callWorker(page, "models", "simulateDeviceLoss");
    await page
      .getByRole("alert")
      .filter({ hasText: "the GPU device was lost" })
      .waitFor({ timeout: 30_000 });
    await backend.filter({ hasText: "Running on WEBGPU" }).waitFor({ timeout: 60_000 });
    expect(await page.getByRole("textbox", { name: "Prompt" }).inputValue()).toBe("Le document");
    await page.getByRole("button", { name: "Generate" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^Done|failed/ })
      .waitFor({ timeout: 240_000 });
    expect(await page.getByRole("status").filter({ hasText: /^Done/ }).count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it("keeps finished training runs when the training worker crashes mid-run, and trains again", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?panel=train&backend=wasm&distil=off&size=tiny&steps=10`);
    const runs = page.getByRole("list", { name: "Training runs" });
    await page.getByRole("button", { name: "Start training" }).click();
    await runs.getByRole("listitem").filter({ hasText: "#1" }).filter({ hasText: "done" }).waitFor({
      timeout: 120_000,
    });
    await page.getByRole("spinbutton", { name: "Steps" }).fill("2000");
    await page.getByRole("button", { name: "Start training" }).click();
    await runs.getByRole("listitem").filter({ hasText: "#2" }).filter({ hasText: "step" }).waitFor({
      timeout: 120_000,
    });
    await callWorker(page, "training", "simulateCrash");
    const second = runs.getByRole("listitem").filter({ hasText: "#2" });
    await second.filter({ hasText: "failed" }).waitFor({ timeout: 30_000 });
    expect(await second.textContent()).toContain("the training worker crashed");
    expect(await runs.getByRole("listitem").filter({ hasText: "#1" }).textContent()).toMatch(
      /done, step 10, CE \d/,
    );
    await page.getByRole("spinbutton", { name: "Steps" }).fill("10");
    await page.getByRole("button", { name: "Start training" }).click();
    await runs.getByRole("listitem").filter({ hasText: "#3" }).filter({ hasText: "done" }).waitFor({
      timeout: 120_000,
    });
    expect(errors.filter((e) => !e.includes("simulated crash"))).toEqual([]);
    await page.close();
  }, 300_000);
});
