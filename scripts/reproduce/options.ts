/** What this `npm run reproduce` is asked to do (parsed once from the command line) and the settings that follow. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Command } from "commander";
import { REPRODUCE_FULL, REPRODUCE_QUICK } from "../../src/ml/presets";

export const ROOT = join(import.meta.dirname, "..", "..");

const EXPERIMENTS = ["routers", "forgetting", "kd", "moe"] as const;

export type Experiment = (typeof EXPERIMENTS)[number];

const program = new Command("reproduce")
  .option("--quick", "tiny settings: checks the pipeline end to end in a few minutes", false)
  .option(
    "--only <list>",
    `run only these (comma-separated: ${EXPERIMENTS.join(", ")}); the report uses cached results for the rest`,
  )
  .option(
    "--report",
    "run nothing: write the report from the cached results (results of an earlier teacher are shown, marked as such)",
    false,
  )
  .option(
    "--out <file>",
    "report path (default docs/RESULTS.md, or data/build/RESULTS.quick.md with --quick)",
  )
  .parse();

export const options = program.opts<{
  quick: boolean;
  out?: string;
  only?: string;
  report: boolean;
}>();
if (options.report && options.only) program.error("--report runs nothing: leave out --only");

export const selected = new Set<string>(
  options.report ? [] : (options.only?.split(",") ?? EXPERIMENTS),
);
for (const e of selected) {
  if (!EXPERIMENTS.includes(e as Experiment) && !/^kd-(en|fr|de|py)$/.test(e)) {
    program.error(`--only: unknown experiment ${e}`);
  }
}

export const quick = options.quick;

/** What the app reads for its MoE and forgetting charts. */
export const EXPERIMENTS_FILE = join(ROOT, "public", "results", "experiments.json");

export const out =
  options.out ?? join(ROOT, quick ? "data/build/RESULTS.quick.md" : "docs/RESULTS.md");

export const chartsDir = join(dirname(out), quick ? `${basename(out, ".md")}-charts` : "charts");

export const PRESET = quick ? REPRODUCE_QUICK : REPRODUCE_FULL;

export const STUDENT = PRESET.kd.student;

export const KD_SETTINGS = PRESET.kd;

export const FORGETTING_SETTINGS = PRESET.forgetting;

export const MOE_SETTINGS = PRESET.moe;

export const ROUTER_EXAMPLES = PRESET.routerExamplesPerLanguage;

/** Finished experiments are kept here, so a stopped run resumes (and the report can be rebuilt). */
export const CACHE = quick
  ? join(dirname(out), `${basename(out, ".md")}-runs`)
  : join(ROOT, "docs/results/reproduce");

/** The shipped teacher, or in --quick mode a tiny one trained here in seconds. */
/**
 * Which teacher the distillation experiments used, for their cache: the shipped teacher's
 * model.json (it names its shards' sha256), so a retrained teacher reruns them.
 */
export const TEACHER_ID = quick
  ? "quick"
  : createHash("sha256")
      .update(readFileSync(join(ROOT, "public/models/teacher/model.json")))
      .digest("hex")
      .slice(0, 16);
