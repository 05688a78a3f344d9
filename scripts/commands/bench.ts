import { action, globals, program, startBackend } from "./program";

/** The `bench` command. */
export function registerBench(): void {
  program
    .command("bench")
    .description("measure matmul GFLOP/s, training throughput and generation speed on this backend")
    .option("--quick", "tiny settings (seconds, for smoke tests)", false)
    .option(
      "--candidates",
      "also measure the teacher sizes considered when choosing the teacher",
      false,
    )
    .option(
      "--browser",
      "also measure the built site in Chromium: default run and race seconds, generation vs the CLI, WASM threads",
      false,
    )
    .option(
      "--router",
      "only the routers: accuracy by length, none of these, and texts/s beside eld, on the same texts",
      false,
    )
    .action(
      action(
        async (o: { quick: boolean; candidates: boolean; browser: boolean; router: boolean }) => {
          // Loaded here, not at start: they pull in Chromium's driver, Vite and eld's dictionaries.
          if (o.router) return (await import("../router-bench")).runRouterBench();
          const backend = await startBackend();
          const { runBench } = await import("../bench");
          await runBench({
            quick: o.quick,
            backend,
            json: globals().json,
            candidates: o.candidates,
            browser: o.browser,
          });
        },
      ),
    );
}
