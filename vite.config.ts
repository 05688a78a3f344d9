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

export default defineConfig({
  // Relative asset URLs: the built site works from any sub-path (e.g. a project page).
  base: "./",
  plugins: [react(), listAppFiles()],
  worker: { format: "es" },
  build: { target: "es2022", chunkSizeWarningLimit: 4000 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
