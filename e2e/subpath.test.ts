import type { Server } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gotoIsolated, openPage, useBrowser } from "./browser";
import { serveStatic } from "./static-server";

const DIST = join(import.meta.dirname, "..", "dist");
const PREFIX = "/mome-lab/";

describe("the built site under a sub-path", () => {
  const browser = useBrowser();
  let server: Server;
  let base: string;
  beforeAll(async () => {
    // dist/ under a sub-path, as GitHub Pages serves a project page.
    ({ server, url: base } = await serveStatic(DIST, PREFIX));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("generates with the routed expert and saves itself for offline use from /mome-lab/", async () => {
    const { page, errors } = await openPage(browser());
    // Served without headers: the service worker makes the page cross-origin isolated (one reload).
    await gotoIsolated(page, `${base}?backend=wasm&panel=compare&maxTokens=2&prompt=The%20printer`);
    await page.getByRole("button", { name: "Generate" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^Done|failed/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.getByText(/^Done \(generation 1\)/).count()).toBe(1);
    await page
      .getByRole("status", { name: "Offline use" })
      .filter({ hasText: /^Available offline/ })
      .waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope))).toBe(
      base,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
