import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/**
 * Writes app-files.json: every file the build emits (scripts, workers, wasm, styles), so the
 * page can ask the service worker to keep them all for offline use, not only those one visit used.
 */
function listAppFiles(): Plugin {
  return {
    name: "mome-app-files",
    apply: "build",
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith(".map"));
      this.emitFile({
        type: "asset",
        fileName: "app-files.json",
        source: `${JSON.stringify(files.sort(), null, 1)}\n`,
      });
    },
  };
}

/**
 * tfjs-backend-wasm hands its threaded module's factory to each pthread worker as source text
 * (`factory.toString()`). That function reads `_scriptDir` from the module around it, guarded by
 * `typeof`; minified, the guard is dropped and the renamed variable is missing in the pthread
 * worker ("e is not defined"). A global property keeps the guard and the name.
 */
function standaloneWasmThreadFactory(): Plugin {
  return {
    name: "mome-standalone-wasm-thread-factory",
    enforce: "pre",
    transform(code, id) {
      if (!id.endsWith("tfjs-backend-wasm-threaded-simd.js")) return null;
      return code
        .replace("var _scriptDir = ", "globalThis.__tfjsWasmScriptDir = ")
        .replaceAll("_scriptDir", "globalThis.__tfjsWasmScriptDir");
    },
  };
}

/**
 * Cross-origin isolation (SharedArrayBuffer, so tfjs-wasm runs multi-threaded). Static hosts that
 * cannot send headers get them from the service worker (public/sw.js) instead.
 */
const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  // Relative asset URLs: the built site works from any sub-path (e.g. a project page).
  base: "./",
  plugins: [react(), listAppFiles()],
  worker: { format: "es", plugins: () => [standaloneWasmThreadFactory()] },
  build: { target: "es2022", chunkSizeWarningLimit: 4000 },
  server: { host: "127.0.0.1", headers: ISOLATION_HEADERS },
  preview: { host: "127.0.0.1", headers: ISOLATION_HEADERS },
});
