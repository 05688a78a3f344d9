/**
 * A plain static server for dist/, as GitHub Pages is: no COOP/COEP or any other special header,
 * the site under `prefix` (a project page's sub-path) and nothing outside it.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".bin": "application/octet-stream",
};

/** The file a request path names under `root`, or null (outside the prefix or the root). */
async function fileFor(root: string, prefix: string, path: string): Promise<string | null> {
  if (!path.startsWith(prefix)) return null;
  const file = normalize(join(root, decodeURIComponent(path.slice(prefix.length))));
  if (file !== root && !file.startsWith(root + sep)) return null;
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) return join(file, "index.html");
  return info ? file : null;
}

export async function serveStatic(
  root: string,
  prefix = "/",
): Promise<{ url: string; server: Server }> {
  const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const file = await fileFor(root, prefix, path);
    const body = file ? await readFile(file).catch(() => null) : null;
    if (!file || !body) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("static server has no port");
  return { url: `http://127.0.0.1:${address.port}${prefix}`, server };
}
