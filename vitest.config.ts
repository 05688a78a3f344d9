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
          sequence: { groupOrder: 0 },
          include: ["tests/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          sequence: { groupOrder: 0 },
          include: ["e2e/*.test.ts"],
          environment: "node",
          globalSetup: ["e2e/global-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          // Firefox and WebKit, after the rest and one file at a time: one browser at a time on 2 cores.
          name: "engines",
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          testTimeout: 300_000,
          include: ["e2e/engines/*.test.ts"],
          environment: "node",
          globalSetup: ["e2e/engines/global-setup.ts"],
        },
      },
    ],
  },
});
