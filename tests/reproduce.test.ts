import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

describe("npm run reproduce -- --quick", () => {
  it("runs every experiment end to end and writes the report with charts", () => {
    const out = join(mkdtempSync(join(tmpdir(), "mome-reproduce-")), "RESULTS.md");
    const r = spawnSync(
      join("node_modules", ".bin", "tsx"),
      ["scripts/reproduce.ts", "--quick", "--out", out],
      {
        encoding: "utf8",
        timeout: 300_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const report = readFileSync(out, "utf8");
    for (const heading of [
      "## 1. Knowledge distillation",
      "## 2. Router classifiers",
      "### The shipped routers beside eld",
      "## 3. MoE set-ups",
      "## 4. Catastrophic forgetting",
      "## Findings",
    ]) {
      expect(report).toContain(heading);
    }
    for (const variant of [
      "CE only",
      "KD only",
      "adaptive α",
      "alternating",
      "inverse KL",
      "reverse KL",
    ])
      expect(report).toContain(variant);
    expect(report).toMatch(/\| logreg \| 0\.\d{4} \|/);
    expect(report).toMatch(/\| eld 2\.1 \(large, en\/fr\/de subset\) \| \d+\.\d %/);
    expect(report).toMatch(/\| MoE-CE, routed \+ common \(mean of hidden states\) \| \d+\.\d\d \|/);
    const chart = join(out, "..", "RESULTS-charts", "kd-ce-fr.svg");
    expect(existsSync(chart)).toBe(true);
    expect(readFileSync(chart, "utf8")).toMatch(/^<svg [^>]*>[\s\S]*<path d="M/);

    // --report runs nothing: a result of other settings (an earlier teacher) is shown, marked.
    const moePath = join(out, "..", "RESULTS-runs", "moe.json");
    const moe = JSON.parse(readFileSync(moePath, "utf8"));
    writeFileSync(
      moePath,
      JSON.stringify({ ...moe, settings: { ...moe.settings, teacher: "earlier" } }),
    );
    const again = spawnSync(
      join("node_modules", ".bin", "tsx"),
      ["scripts/reproduce.ts", "--quick", "--report", "--out", out],
      { encoding: "utf8", timeout: 120_000 },
    );
    expect(again.status, again.stderr).toBe(0);
    const marked = readFileSync(out, "utf8");
    expect(marked).toMatch(/\*\*Earlier teacher\.\*\* moe: /);
    expect(marked).toContain("`npm run reproduce -- --only moe`");
    expect(marked).toMatch(/\| MoE-CE, routed \+ common \(mean of hidden states\) \| \d+\.\d\d \|/);
    expect(marked).not.toContain("Not run yet");
  });
});
