import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // tfjs keeps one global engine per process: run files in separate forks, two at a time (2 cores).
    pool: "forks",
    reporters: ["default", "./tests/summary-reporter.ts"],
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["e2e/global-setup.ts"],
        },
      },
    ],
  },
});
