import type { Server } from "node:http";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gotoIsolated, openPage, useBrowser } from "./browser";
import { serveStatic } from "./static-server";

/** The Compute backend line once the backend has started (across the one reload, if any). */
async function backendLine(page: Page): Promise<string> {
  const status = page.getByRole("status", { name: "Compute backend" });
  await status.filter({ hasText: /Running on|No compute backend/ }).waitFor({ timeout: 60_000 });
  return (await status.textContent()) ?? "";
}

describe("cross-origin isolation on a host that sends no headers", () => {
  const browser = useBrowser();
  let site: { url: string; server: Server };
  beforeAll(async () => {
    site = await serveStatic(join(import.meta.dirname, "..", "dist"));
  });
  afterAll(() => new Promise((resolve) => site.server.close(resolve)));

  it("becomes cross-origin isolated after one reload by its service worker, and runs WASM threaded", async () => {
    const context = await browser().newContext();
    const { page, errors } = await openPage(context);
    let loads = 0;
    page.on("load", () => loads++);
    await gotoIsolated(page, `${site.url}?backend=wasm`);
    const line = await backendLine(page);
    expect(line).toMatch(/^Running on WASM · \d+ threads?/);
    expect(line).not.toContain("cross-origin-isolated page");
    await page.waitForTimeout(2000); // no second reload comes
    expect(loads).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("works single-threaded, with no reload, when service workers are blocked", async () => {
    const context = await browser().newContext({ serviceWorkers: "block" });
    const { page, errors } = await openPage(context);
    let loads = 0;
    page.on("load", () => loads++);
    await page.goto(
      `${site.url}?backend=wasm&text=Guten%20Tag%2C%20wie%20geht%20es%20dir%20heute%3F`,
    );
    expect(await backendLine(page)).toMatch(
      /^Running on WASM · 1 thread \(more need a cross-origin-isolated page\)/,
    );
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    await page
      .getByRole("status", { name: "Routing decision" })
      .filter({ hasText: "German" })
      .waitFor();
    await page.waitForTimeout(1000);
    expect(loads).toBe(1);
    expect(errors.filter((e) => !e.includes("offline support is off"))).toEqual([]);
    await context.close();
  });
});
