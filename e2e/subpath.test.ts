import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPage, useBrowser } from "./browser";

const DIST = join(import.meta.dirname, "..", "dist");
const PREFIX = "/mome-lab/";
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".bin": "application/octet-stream",
};

/** dist/ served under a sub-path, as GitHub Pages serves a project page; nothing outside it. */
function serveUnderPrefix(): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    if (!path.startsWith(PREFIX)) {
      response.writeHead(404).end();
      return;
    }
    let file = normalize(join(DIST, decodeURIComponent(path.slice(PREFIX.length))));
    if (file.startsWith(DIST) && existsSync(file) && statSync(file).isDirectory())
      file = join(file, "index.html");
    if (!file.startsWith(DIST) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(response);
  });
}

describe("the built site under a sub-path", () => {
  const browser = useBrowser();
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = serveUnderPrefix();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("generates with the routed expert and saves itself for offline use from /mome-lab/", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${base}?backend=wasm&panel=compare&maxTokens=2&prompt=The%20printer`);
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
