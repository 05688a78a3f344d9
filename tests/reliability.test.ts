import { describe, expect, it } from "vitest";
import { countsLine, runProbes } from "../scripts/reliability";
import { missingAppCases } from "../scripts/reliability/app-cases";
import { PROBES } from "../scripts/reliability/cli-probes";
import { useBackend } from "./helpers";

// Every fault and bad input of docs/RELIABILITY.md, run as `npm run reliability` runs them.
describe("reliability probes", { timeout: 600_000 }, () => {
  it("meets every fault and bad input of the CLI with a clear message", async () => {
    await useBackend("wasm");
    const results = await runProbes(PROBES, 2);
    const unclear = PROBES.flatMap((p, i) =>
      results[i].outcome === "clear message"
        ? []
        : [`${p.what}: ${results[i].outcome}, ${results[i].seen}`],
    );
    expect(unclear, countsLine(results)).toEqual([]);
  });

  it("lists only app faults whose tests exist", () => {
    expect(missingAppCases()).toEqual([]);
  });
});
