import { describe, expect, inject, it } from "vitest";
import en from "../src/app/i18n/locales/en.json";
import fr from "../src/app/i18n/locales/fr.json";
import { openPage, useBrowser } from "./browser";

/** The test's name, as docs/RELIABILITY.md's list of app faults cites it. */
const HALF_FILLED =
  "says it is offline and not fully saved, rather than a blank page, when the cache is half filled";

describe("offline after the first visit", () => {
  const browser = useBrowser();

  it("routes text with the network cut off, from the service worker's cache", async () => {
    const { page, errors } = await openPage(browser());
    const url = `${inject("baseUrl")}?backend=wasm`;
    await page.goto(url);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload(); // the second visit: now every request goes through the service worker
    const decision = page.getByRole("status", { name: "Routing decision" });
    await page.getByRole("button", { name: "French example" }).click();
    await decision.filter({ hasText: "Routed to French" }).waitFor({ timeout: 30_000 });
    // The router answers before TensorFlow.js has started: let the visit finish loading.
    const backend = page
      .getByRole("status", { name: "Compute backend" })
      .filter({ hasText: /^Running on WASM/ });
    await backend.waitFor({ timeout: 30_000 });

    await page.context().setOffline(true);
    await page.reload();
    await page.getByRole("button", { name: "German example" }).click();
    await decision.filter({ hasText: "Routed to German" }).waitFor({ timeout: 30_000 });
    // Routing needs no TensorFlow.js, so it can answer before the backend has started: wait
    // for the backend (its WASM binary comes from the cache too) rather than read it at once.
    await backend.waitFor({ timeout: 30_000 });
    await page.context().setOffline(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("saves every model in the background, so a second visit generates offline", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&panel=compare&maxTokens=4`);
    await page
      .getByRole("status", { name: "Offline use" })
      .filter({ hasText: /^Available offline: all \d+ files/ })
      .waitFor({ timeout: 60_000 });

    const status = await page.getByRole("status", { name: "Offline use" }).textContent();
    const kept = Number(status?.match(/all (\d+) files/)?.[1]);
    // Only the listed files stay cached (an older build's files and other pages are dropped).
    expect(
      await page.evaluate(() =>
        caches
          .open("mome-lab-v2")
          .then((c) => c.keys())
          .then((k) => k.length),
      ),
    ).toBe(kept);

    await page.context().setOffline(true);
    await page.reload();
    await page.getByRole("textbox", { name: "Prompt" }).fill("Der Drucker");
    await page.getByRole("button", { name: "Generate" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^Done|failed/ })
      .waitFor({ timeout: 120_000 });
    expect(await page.getByRole("region", { name: "Student output" }).textContent()).toContain(
      "expert-de",
    );
    expect(await page.getByText(/^Done \(generation 1\)/).count()).toBe(1);
    await page.context().setOffline(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each([
    ["en", en],
    ["fr", fr],
  ] as const)(`${HALF_FILLED} (%s)`, async (lang, t) => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&lang=${lang}`);
    // Wait until the background saving is over, so that nothing saves the script again.
    await page
      .getByRole("status", { name: t["offline.label"] })
      .filter({ hasText: t["offline.ready_other"].split(":")[0] })
      .waitFor({ timeout: 60_000 });
    // The connection was lost before the page's own script was saved.
    const dropped = await page.evaluate(async () => {
      const entry = document.querySelector<HTMLScriptElement>("script[type=module][src]")?.src;
      const cache = await caches.open("mome-lab-v2");
      return entry && (await cache.delete(entry, { ignoreVary: true })) ? entry : null;
    });
    expect(dropped).toMatch(/\/assets\/.*\.js$/);
    await page.context().setOffline(true);
    await page.reload();
    // In the language the app was saved in.
    await page.getByRole("heading", { name: t["offlinePage.heading"] }).waitFor();
    expect(await page.getByText(t["offlinePage.text"]).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    await page.context().setOffline(false);
    await page.getByRole("button", { name: t["offlinePage.retry"] }).click();
    await page
      .getByRole("status", { name: t["backend.label"], exact: true })
      .filter({ hasText: t["backend.running"].replace("{{backend}}", "") })
      .waitFor({ timeout: 60_000 });
    expect(
      errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|ERR_FAILED|Failed to fetch/.test(e)),
    ).toEqual([]);
    await page.close();
  });
});
