import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  // Relative asset URLs: the built site works from any sub-path (e.g. a project page).
  base: "./",
  plugins: [react()],
  worker: { format: "es" },
  build: { target: "es2022", chunkSizeWarningLimit: 4000 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
