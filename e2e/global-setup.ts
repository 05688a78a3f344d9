/** Builds the site once and serves dist/ on 127.0.0.1 (a secure context, so WebGPU is allowed). */

import { build, preview } from "vite";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  // Vitest sets NODE_ENV=test, which would bundle React's development build: test what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  await build({ logLevel: "warn", mode: "production" });
  process.env.NODE_ENV = nodeEnv;
  const server = await preview({
    preview: { host: "127.0.0.1", port: 0, strictPort: false },
    logLevel: "warn",
  });
  const address = server.httpServer.address();
  if (!address || typeof address === "string") throw new Error("preview server has no port");
  project.provide("baseUrl", `http://127.0.0.1:${address.port}/`);
  return async () => {
    await server.close();
  };
}
