/** Debian's Chromium driven by playwright-core, with WebGPU over SwiftShader. */
import { existsSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--enable-unsafe-webgpu",
  "--enable-features=Vulkan",
  "--use-vulkan=swiftshader",
  "--use-webgpu-adapter=swiftshader",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(
      `Chromium not found at ${executablePath}: install it with "apt-get install -y chromium" (bash .ci/run does)`,
    );
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** A page (of a browser or one of its contexts) that records console errors and uncaught exceptions. */
export async function openPage(
  owner: Browser | BrowserContext,
): Promise<{ page: Page; errors: string[] }> {
  const page = await owner.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    // A failed resource says which one only in its location.
    if (m.type() === "error")
      errors.push(m.location().url ? `${m.text()} (${m.location().url})` : m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { page, errors };
}

/** One Chromium for the calling test file, started before its tests and closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("Chromium has not started");
    return browser;
  };
}

/**
 * Opens `url` on a host that sends no COOP/COEP and waits until the page is cross-origin isolated:
 * its service worker reloads it once when it first takes control (src/app/offline.ts).
 */
export async function gotoIsolated(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const isolated = () => page.waitForFunction(() => crossOriginIsolated, null, { timeout: 60_000 });
  // The reload can replace the page while this waits: then wait again on the new one.
  await isolated().catch(isolated);
  await page.waitForLoadState("load");
}
