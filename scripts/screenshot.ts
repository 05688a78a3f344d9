/**
 * `npm run screenshot`: the README's pictures, taken from the built site in Debian's Chromium:
 * - the stage: presenter mode at 1280 × 720, the lesson's race of CE only against distilled
 *   halfway through, its charts drawing beside the recorded run → docs/screenshots/presenter.png;
 * - the UI in French: the router's lesson step on the stage at 1280 × 720 → docs/screenshots/french.png.
 */
import { join } from "node:path";
import { build, preview } from "vite";
import { launchChromium } from "../e2e/browser";

const ROOT = join(import.meta.dirname, "..");
const OUT = join(ROOT, "docs", "screenshots", "presenter.png");
const FRENCH = join(ROOT, "docs", "screenshots", "french.png");
const STEPS = 60;

process.env.NODE_ENV = "production";
await build({ root: ROOT, logLevel: "warn", mode: "production" });
const server = await preview({
  root: ROOT,
  logLevel: "warn",
  preview: { host: "127.0.0.1", port: 0 },
});
const address = server.httpServer.address();
if (!address || typeof address === "string") throw new Error("preview server has no port");
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(
    `http://127.0.0.1:${address.port}/?backend=wasm&present=1&lesson=4&steps=${STEPS}`,
  );
  await page.getByRole("button", { name: "Start race" }).click();
  // Halfway: the lanes' lines are drawing, the recorded run is there in full.
  await page
    .getByRole("status")
    .filter({ hasText: new RegExp(`Step (${STEPS / 2}|${STEPS / 2 + 1}) of ${STEPS}`) })
    .waitFor({ timeout: 300_000 });
  await page.getByRole("button", { name: "Pause" }).click();
  await page.screenshot({ path: OUT });
  process.stdout.write(`→ ${OUT}\n`);
  const french = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await french.goto(`http://127.0.0.1:${address.port}/?backend=wasm&lang=fr&present=1&lesson=2`);
  await french
    .getByRole("status", { name: "Décision du routeur" })
    .filter({ hasText: "Routé vers" })
    .waitFor({ timeout: 60_000 });
  await french.waitForTimeout(500); // the probabilities chart draws
  await french.screenshot({ path: FRENCH });
  process.stdout.write(`→ ${FRENCH}\n`);
} finally {
  await browser.close();
  await server.close();
}
