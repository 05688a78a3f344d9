/** How a reliability probe runs: a child process with a time limit, its outcome classified, and the fixtures it reads. */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { trainBpe } from "../../src/ml/bpe-trainer";
import { splitDocuments } from "../../src/ml/data";
import { GPT, type GPTConfig } from "../../src/ml/gpt";
import { saveModelDir, writeFileMakingDirs } from "../node-io";

export const ROOT = join(import.meta.dirname, "..", "..");

export const SHIPPED = join(ROOT, "public", "models");

/** A probe that takes longer than this hangs (a clear error comes within seconds). */
export const PROBE_TIME_LIMIT_MS = 60_000;

/** A model small enough to save and score in milliseconds, with the shipped vocabulary. */
export const PROBE_MODEL: GPTConfig = {
  vocabSize: 4096,
  contextLength: 16,
  dModel: 16,
  nLayers: 1,
  nHeads: 2,
  tiedHead: true,
};

export type Outcome = "clear message" | "crash" | "silently wrong";

export interface ProbeResult {
  outcome: Outcome;
  /** What was seen: the message, or why it is not the expected outcome. */
  seen: string;
}

/** What a child process did. */
export interface Run {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

export interface Probe {
  group: string;
  /** The bad input or fault. */
  what: string;
  /** The expected outcome, in words. */
  expected: string;
  /** Runs it in `dir` (the fixtures' folder). */
  run(dir: string): Promise<ProbeResult>;
}

/** Runs `command` with a time limit; a hang is killed and reported as such. */
export function runChild(command: string, args: string[], stdin?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT });
    let stdout = "";
    let stderr = "";
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, PROBE_TIME_LIMIT_MS);
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdin.on("error", () => undefined); // a child that exits before reading its input
    child.stdin.end(stdin ?? "");
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, hung });
    });
  });
}

/** `train` with the shipped tokenizer on the probe text, 2 steps, into `out`. */
export const trainInto = (d: string, out: string) => [
  "train",
  ...["--tokenizer", join(SHIPPED, "tokenizer.json"), "--train", join(d, "fr.txt")],
  ...["--out", out, "--steps", "2"],
];

export const cli = (args: string[], stdin?: string) =>
  runChild(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], stdin);

export const lastLine = (s: string) => s.trim().split("\n").pop() ?? "";

/** The error a run printed: its "error:" line (commander prints help after it), else the last. */
const errorLine = (s: string) =>
  s.split("\n").find((line) => line.startsWith("error:")) ?? lastLine(s);

/** Classifies a run that should fail with `message` and exit code `exitCode`. */
function expectError(run: Run, message: RegExp, exitCode = 1): ProbeResult {
  if (run.hung) return { outcome: "crash", seen: `hung: killed after ${PROBE_TIME_LIMIT_MS} ms` };
  if (run.signal) return { outcome: "crash", seen: `ended by ${run.signal}` };
  if (/^\s+at /m.test(run.stderr)) return { outcome: "crash", seen: "a stack trace" };
  if (run.code === 0) return { outcome: "silently wrong", seen: `exit 0: ${lastLine(run.stdout)}` };
  const seen = `exit ${run.code}: ${errorLine(run.stderr)}`;
  if (run.code !== exitCode || !message.test(run.stderr))
    return { outcome: "silently wrong", seen: `unexpected: ${seen}` };
  return { outcome: "clear message", seen };
}

/** A probe of one CLI call that should fail with `message`. */
export function cliError(
  group: string,
  what: string,
  expected: string,
  args: (dir: string) => string[],
  message: RegExp,
  options: { stdin?: string; exitCode?: number } = {},
): Probe {
  return {
    group,
    what,
    expected,
    run: async (dir) => expectError(await cli(args(dir), options.stdin), message, options.exitCode),
  };
}

/** Writes what the probes read: a tiny model and its damaged copies, texts, a foreign tokenizer. */
export async function makeFixtures(dir: string): Promise<void> {
  const model = GPT.create(PROBE_MODEL, 1);
  await saveModelDir(model, join(dir, "model"));
  model.dispose();
  const copy = (name: string) => {
    mkdirSync(join(dir, name));
    for (const f of readdirSync(join(dir, "model")))
      copyFileSync(join(dir, "model", f), join(dir, name, f));
    return join(dir, name);
  };
  const shardOf = (folder: string) =>
    join(folder, readdirSync(folder).find((f) => f.endsWith(".bin")) as string);
  const flipped = shardOf(copy("flipped"));
  const bytes = readFileSync(flipped);
  for (let i = 0; i < bytes.length; i += 97) bytes[i] ^= 0xff;
  writeFileSync(flipped, bytes);
  const nan = copy("nan-unchecked");
  writeFileSync(shardOf(nan), Buffer.alloc(readFileSync(shardOf(nan)).length, 0xff));
  const json = JSON.parse(readFileSync(join(nan, "model.json"), "utf8"));
  delete json.sha256;
  writeFileSync(join(nan, "model.json"), JSON.stringify(json));
  const truncated = copy("truncated");
  writeFileSync(shardOf(truncated), readFileSync(shardOf(truncated)).subarray(0, 1000));
  const text = readFileSync(join(ROOT, "public", "corpora", "fr.txt"), "utf8").slice(0, 20_000);
  writeFileSync(join(dir, "fr.txt"), text);
  writeFileSync(join(dir, "empty.txt"), "");
  writeFileSync(join(dir, "a-file"), "not a folder");
  await writeFileMakingDirs(join(dir, "shared", "tokenizer.json"), "{}");
  writeFileSync(
    join(dir, "tokenizer-300.json"),
    JSON.stringify(trainBpe(splitDocuments(text), { vocabSize: 300 })),
  );
  const router = JSON.parse(readFileSync(join(SHIPPED, "router.json"), "utf8"));
  router.weights = router.weights.map((row: number[]) => row.map(() => null));
  writeFileSync(join(dir, "router-null.json"), JSON.stringify(router));
}

export const MODEL_FILES = "Model files the CLI reads";

export const OUTPUT = "Where the CLI writes";

export const INPUT = "Inputs the CLI reads";
