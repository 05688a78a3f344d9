/**
 * Builds the site into a folder of its own (the Chromium project builds dist/ meanwhile) and
 * serves it as a plain static host does: no COOP/COEP, under a sub-path.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "vite";
import type { TestProject } from "vitest/node";
import { serveStatic } from "../static-server";

export default async function setup(project: TestProject) {
  const outDir = await mkdtemp(join(tmpdir(), "mome-engines-"));
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  await build({ logLevel: "warn", mode: "production", build: { outDir, emptyOutDir: true } });
  process.env.NODE_ENV = nodeEnv;
  const { url, server } = await serveStatic(outDir, "/mome-lab/");
  project.provide("staticSiteUrl", url);
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(outDir, { recursive: true, force: true });
  };
}
