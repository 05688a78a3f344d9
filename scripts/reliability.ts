/**
 * Fault and bad-input probes of the CLI and of the files it writes and reads: each one run as a
 * user would meet it (a child process with a time limit, or a fault injected into a save), its
 * outcome classified as a clear message, a crash (stack trace, signal or hang) or silently wrong.
 *
 *   npm run reliability            runs them all, prints the counts, writes docs/RELIABILITY.md
 *
 * tests/reliability.test.ts runs the same probes on every `npm test` and expects each one clear.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { trainBpe } from "../src/ml/bpe-trainer";
import { splitDocuments } from "../src/ml/data";
import { GPT, type GPTConfig } from "../src/ml/gpt";
import { loadModelDir, saveModelDir, saveOrKeep, writeFileMakingDirs } from "./node-io";

const ROOT = join(import.meta.dirname, "..");
const SHIPPED = join(ROOT, "public", "models");
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
interface Run {
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
function runChild(command: string, args: string[], stdin?: string): Promise<Run> {
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
const trainInto = (d: string, out: string) => [
  "train",
  ...["--tokenizer", join(SHIPPED, "tokenizer.json"), "--train", join(d, "fr.txt")],
  ...["--out", out, "--steps", "2"],
];

const cli = (args: string[], stdin?: string) =>
  runChild(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], stdin);

const lastLine = (s: string) => s.trim().split("\n").pop() ?? "";
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
function cliError(
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

const MODEL_FILES = "Model files the CLI reads";
const OUTPUT = "Where the CLI writes";
const INPUT = "Inputs the CLI reads";

export const PROBES: Probe[] = [
  cliError(
    MODEL_FILES,
    "eval on a model whose shard has flipped bytes (checksums in model.json)",
    "refused: the shard does not match its checksum",
    (d) => ["eval", "--model", join(d, "flipped"), "--text", join(d, "fr.txt")],
    /does not match its checksum in model\.json: the file is damaged/,
  ),
  cliError(
    MODEL_FILES,
    "eval on a model whose weights are all NaN, saved without checksums",
    "refused: a NaN loss is an error, not a perplexity",
    (d) => ["eval", "--model", join(d, "nan-unchecked"), "--text", join(d, "fr.txt")],
    /no finite probabilities/,
  ),
  cliError(
    MODEL_FILES,
    "eval on a model whose shard was cut short",
    "refused, naming the damaged file",
    (d) => ["eval", "--model", join(d, "truncated"), "--text", join(d, "fr.txt")],
    /group1-shard1of1\.bin/,
  ),
  cliError(
    MODEL_FILES,
    "eval on a folder with no model",
    "refused: the folder has no model.json",
    (d) => ["eval", "--model", join(d, "nowhere"), "--text", join(d, "fr.txt")],
    /has no model\.json/,
  ),
  {
    group: MODEL_FILES,
    what: "the process killed (SIGKILL) after each file write and rename of a save over an existing model",
    expected: "the folder holds the old model or the new one, whole; never a mix",
    run: async (dir) => {
      const operations = [1, 2, 3, 4, 5]; // 2 file writes, 2 renames, and the rest of the save
      const runs = await Promise.all(
        operations.map((k) =>
          runChild(process.execPath, [
            ...["--import", "tsx", "scripts/save-killed.ts"],
            ...[join(dir, `killed-after-${k}`), String(k)],
          ]),
        ),
      );
      const seen: string[] = [];
      for (const [i, run] of runs.entries()) {
        if (run.hung || (run.signal !== "SIGKILL" && run.code !== 0))
          return { outcome: "crash", seen: `the saving process failed: ${lastLine(run.stderr)}` };
        try {
          (await loadModelDir(join(dir, `killed-after-${operations[i]}`))).dispose();
          seen.push(`${operations[i]}`);
        } catch (e) {
          return {
            outcome: "silently wrong",
            seen: `killed after ${operations[i]}: ${(e as Error).message}`,
          };
        }
      }
      return {
        outcome: "clear message",
        seen: `a whole model loads after a kill at operation ${seen.join(", ")}`,
      };
    },
  },
  cliError(
    OUTPUT,
    "train --out an existing file",
    "refused before the first step",
    (d) => trainInto(d, join(d, "a-file")),
    /is a file, not a folder/,
  ),
  cliError(
    OUTPUT,
    "train --out a path under a file",
    "refused before the first step",
    (d) => trainInto(d, join(d, "a-file", "model")),
    /lies under the file/,
  ),
  cliError(
    OUTPUT,
    "train --out a folder that can't be written (/proc)",
    "refused before the first step, promptly",
    (d) => trainInto(d, "/proc/mome-model"),
    /can't be written/,
  ),
  cliError(
    OUTPUT,
    "train --out a folder holding other files (a saved model replaces the whole folder)",
    "refused before the first step, naming the files",
    (d) => trainInto(d, join(d, "shared")),
    /holds files that are not a model's \(tokenizer\.json\)/,
  ),
  {
    group: OUTPUT,
    what: "the final save fails after training (its folder is gone under a file)",
    expected: "the model is kept in a fallback folder, named in the error",
    run: async (dir) => {
      const model = GPT.create(PROBE_MODEL, 1);
      const error = await saveOrKeep(model, join(dir, "a-file", "model")).then(
        () => null,
        (e: Error) => e,
      );
      model.dispose();
      const fallback = error?.message.match(/the trained model is kept in (\S+)$/)?.[1];
      if (!fallback) return { outcome: "silently wrong", seen: error?.message ?? "no error" };
      (await loadModelDir(fallback)).dispose();
      await rm(fallback, { recursive: true, force: true });
      return { outcome: "clear message", seen: error?.message ?? "" };
    },
  },
  cliError(
    INPUT,
    "route an empty text (a JSONL line)",
    "an error line for that text, exit code 2",
    () => ["route"],
    /line 1: the text is empty: there is nothing to route/,
    { stdin: `${JSON.stringify({ text: "" })}\n`, exitCode: 2 },
  ),
  cliError(
    INPUT,
    "route --text ''",
    "refused: nothing to route",
    () => ["route", "--text", ""],
    /the text is empty/,
  ),
  cliError(
    INPUT,
    "route a line that is not JSON",
    "an error line for that line, exit code 2",
    () => ["route"],
    /line 1: /,
    { stdin: "not json\n", exitCode: 2 },
  ),
  cliError(
    INPUT,
    "route with a router file whose weights are null",
    "refused: the router file is invalid",
    (d) => ["route", "--router", join(d, "router-null.json"), "--text", "Guten Tag"],
    /weights/,
  ),
  cliError(
    INPUT,
    "route with a tokenizer of another vocabulary (300 tokens)",
    "refused, naming both sizes",
    (d) => ["route", "--tokenizer", join(d, "tokenizer-300.json"), "--text", "Guten Tag"],
    /has 4096 tokens but the tokenizer has 300/,
  ),
  cliError(
    INPUT,
    "eval with a tokenizer of another vocabulary (300 tokens)",
    "refused, naming both sizes",
    (d) => [
      "eval",
      ...["--model", join(d, "model"), "--tokenizer", join(d, "tokenizer-300.json")],
      ...["--text", join(d, "fr.txt")],
    ],
    /4096.*300|300.*4096/,
  ),
  cliError(
    INPUT,
    "generate with a tokenizer of another vocabulary (300 tokens)",
    "refused, naming both sizes",
    (d) => [
      "generate",
      ...["--model", join(d, "model"), "--tokenizer", join(d, "tokenizer-300.json")],
      ...["--max-tokens", "1"],
    ],
    /not made together/,
  ),
  cliError(
    INPUT,
    "eval on an empty text",
    "refused promptly: the text is too short",
    (d) => ["eval", "--model", join(d, "model"), "--text", join(d, "empty.txt")],
    /too short/,
  ),
  cliError(
    INPUT,
    "train on an empty corpus",
    "refused promptly: the corpus is too short",
    (d) => [
      "train",
      ...["--tokenizer", join(SHIPPED, "tokenizer.json"), "--train", join(d, "empty.txt")],
      ...["--out", join(d, "out-empty"), "--steps", "2"],
    ],
    /too short/,
  ),
  cliError(
    INPUT,
    "train-tokenizer on an empty file",
    "refused: there is no text to learn from",
    (d) => ["train-tokenizer", join(d, "empty.txt"), "--out", join(d, "tok-empty.json")],
    /no text|empty/,
  ),
  cliError(
    INPUT,
    "train-tokenizer --vocab-size 1e9",
    "refused: the range is named",
    (d) => [
      "train-tokenizer",
      ...[join(d, "fr.txt"), "--out", join(d, "tok-big.json"), "--vocab-size", "1e9"],
    ],
    /vocab size must be an integer in \[259, 65536\]/,
  ),
  cliError(
    INPUT,
    "train-tokenizer --vocab-size 2000000",
    "refused: the range is named",
    (d) => [
      "train-tokenizer",
      ...[join(d, "fr.txt"), "--out", join(d, "tok-huge.json"), "--vocab-size", "2000000"],
    ],
    /vocab size must be an integer in \[259, 65536\]/,
  ),
  {
    group: INPUT,
    what: "train-tokenizer --vocab-size 60000 on 20 kB of text (more merges than the text has pairs)",
    expected: "stops at the last possible merge and says so",
    run: async (dir) => {
      const run = await cli([
        "train-tokenizer",
        ...[join(dir, "fr.txt"), "--out", join(dir, "tok-60k.json"), "--vocab-size", "60000"],
      ]);
      const note = run.stderr.match(/^note: the text supports .*$/m)?.[0];
      if (run.hung || run.signal)
        return { outcome: "crash", seen: run.hung ? "hung" : `${run.signal}` };
      if (run.code !== 0 || !note)
        return { outcome: "silently wrong", seen: `exit ${run.code}: ${lastLine(run.stderr)}` };
      return { outcome: "clear message", seen: `exit 0: ${note}` };
    },
  },
  cliError(
    INPUT,
    "a tokenizer file that is not JSON",
    "refused, naming the file",
    (d) => [
      "train",
      ...["--tokenizer", join(d, "fr.txt"), "--train", join(d, "fr.txt")],
      ...["--out", join(d, "out-json")],
    ],
    /fr\.txt is not valid JSON/,
  ),
  cliError(
    INPUT,
    "--backend webgpu in Node (no GPU there)",
    "refused, naming the backend that could not start",
    () => ["--backend", "webgpu", "bench", "--quick"],
    /^error: no TensorFlow\.js backend could start: webgpu: /m,
  ),
  cliError(
    INPUT,
    "generate --temperature -1",
    "refused: the range is named",
    (d) => ["generate", "--model", join(d, "model"), "--temperature", "-1"],
    /temperature must be a number in \[0, 10\]/,
  ),
  {
    group: INPUT,
    what: "route | head -1 (the reader closes the pipe early)",
    expected: "ends quietly with exit 0, no EPIPE trace",
    run: async (dir) => {
      const lines = Array.from({ length: 3000 }, () => JSON.stringify({ text: "Bonjour à tous" }));
      writeFileSync(join(dir, "many.jsonl"), `${lines.join("\n")}\n`);
      const run = await runChild("bash", [
        "-c",
        `set -o pipefail; "${process.execPath}" --import tsx scripts/cli.ts route --input "${join(dir, "many.jsonl")}" | head -1`,
      ]);
      if (run.hung) return { outcome: "crash", seen: "hung" };
      if (/EPIPE|^\s+at /m.test(run.stderr))
        return { outcome: "crash", seen: lastLine(run.stderr) };
      if (run.code !== 0 || !run.stdout.includes('"label":"fr"'))
        return { outcome: "silently wrong", seen: `exit ${run.code}: ${lastLine(run.stdout)}` };
      return { outcome: "clear message", seen: `exit 0: ${lastLine(run.stdout)}` };
    },
  },
];

/** Faults of the app, checked by its unit and browser tests (their assertions are the outcome). */
export const APP_CASES: { what: string; expected: string; file: string; test: string }[] = [
  {
    what: "Stop pressed while a run prepares (a teacher download that never ends)",
    expected: "the run stops at once, untrained, marked stopped while preparing",
    file: "tests/store-slices.test.ts",
    test: "stops a run while it prepares (a teacher download that never ends), and trains nothing",
  },
  {
    what: "a student zip loaded while that student generates",
    expected:
      "the running generation finishes with the model it started with; the next one uses the new student",
    file: "e2e/training.test.ts",
    test: "loads a downloaded student into Teacher vs student in a new tab, and refuses a file that is not one",
  },
  {
    what: "a model file answers 500 or a network error, then recovers",
    expected: "the download is retried; a router that still fails gets a Retry button",
    file: "tests/fetch.test.ts",
    test: "tries again after a 500 and a network error, and returns the bytes",
  },
  {
    what: "a model file download that stops sending bytes",
    expected: "cut after 20 s without a byte, retried, then an error naming the stall",
    file: "tests/fetch.test.ts",
    test: "cuts a download that stops sending bytes, and retries it",
  },
  {
    what: "a student zip with a damaged shard, a missing file, or its files in a sub-folder",
    expected:
      "damaged or missing: refused, naming the file; a sub-folder loads; no checksums loads with a warning",
    file: "tests/student-zip.test.ts",
    test: "checks every file against sha256.json and names a damaged one",
  },
  {
    what: "a good text, then a refused one",
    expected: "nothing stays selected: training asks for a text",
    file: "tests/store-slices.test.ts",
    test: "forgets the text in use when a later one is refused, so training can't go on with it",
  },
  {
    what: "a later run, a stopped run, or a crash after a run finished",
    expected: "each run keeps its own student; Download and Use act on the chosen run",
    file: "tests/store-slices.test.ts",
    test: "keeps every finished or stopped run's student: download acts on the chosen run, even after a later run or a crash",
  },
  {
    what: "a reload after runs finished (on WebGPU and WASM)",
    expected: "finished runs and their students come back; Clear saved runs forgets them",
    file: "e2e/classroom.test.ts",
    test: "on %s: keeps a finished run and its student across a reload, and clears saved runs",
  },
  {
    what: "leaving the page while a run trains",
    expected: "the browser asks first; not once the run has stopped",
    file: "e2e/classroom.test.ts",
    test: "warns before leaving while a run trains, and not once it has stopped",
  },
  {
    what: "5,000 characters of Cyrillic in a shared link; a damaged compressed link",
    expected: "compressed under 8 kB; a damaged one falls back with the notice",
    file: "tests/settings.test.ts",
    test: "sends a long query compressed, sized by bytes, and reads it back unchanged",
  },
  {
    what: "a class link with unknown or hostile lock/hide names; a change to a locked control",
    expected: "the names are dropped with the notice; the store refuses the change",
    file: "tests/class-links.test.ts",
    test: "makes the store refuse changes to a locked setting, from any caller",
  },
  {
    what: "the model worker crashes",
    expected: "it restarts and says so; the user's text and settings stay",
    file: "e2e/recovery.test.ts",
    test: "restarts the model worker, says so, and keeps the user's text and settings",
  },
  {
    what: "the WebGPU device is lost",
    expected: "the worker restarts; the text stays; routing and generation work again",
    file: "e2e/recovery.test.ts",
    test: "recovers from a lost WebGPU device: restarts the worker, keeps the text, routes and generates again",
  },
  {
    what: "the training worker crashes mid-run",
    expected: "finished runs stay; a new run trains",
    file: "e2e/recovery.test.ts",
    test: "keeps finished training runs when the training worker crashes mid-run, and trains again",
  },
  {
    what: "the connection lost before the page's own script was saved for offline use",
    expected: "offline, a page that says the app was not fully saved, with Try again; never blank",
    file: "e2e/offline.test.ts",
    test: "says it is offline and not fully saved, rather than a blank page, when the cache is half filled",
  },
  {
    what: "a model shard request that never answers, while Teacher vs student loads",
    expected:
      "the status counts the seconds without data; Stop cancels at once; Generate works again",
    file: "e2e/compare.test.ts",
    test: "shows a model download that never answers, and cancels it: Stop ends the loading, and Generate works again",
  },
  {
    what: "a request that ignores its abort; a cancel during the pause before a retry",
    expected: "the download ends at once as cancelled, never retried",
    file: "tests/fetch.test.ts",
    test: "cancels at once on its signal, even a request that ignores the abort, and never retries",
  },
  {
    what: "a 320-pixel screen, with a long unbroken token run routed",
    expected: "no tab is wider than the screen",
    file: "e2e/site.test.ts",
    test: "fits a 320-pixel screen: no tab is wider, even with routed text and the About table",
  },
  {
    what: "Copy link where the clipboard refuses",
    expected: "says it could not copy and shows the link selected in a field",
    file: "e2e/sharing.test.ts",
    test: "shows the link in a selectable field when the clipboard refuses, instead of 'Link copied.'",
  },
  {
    what: "256 tokens with 128-token models (past the context window)",
    expected: "both models slide the window; the KL stays finite",
    file: "tests/generate.test.ts",
    test: "reads the KL between two models along any length, sliding by half a window past the context",
  },
  {
    what: "a model.json that is null, of the wrong shape, or refused at its last parameter",
    expected: "refused by name (a JSON schema); no tensor leaks",
    file: "tests/gpt.test.ts",
    test: "refuses a damaged model.json by name, and a refused file leaks no tensor",
  },
  {
    what: "a hostile link (markup, out-of-range and unknown settings)",
    expected: "the defaults for what it gets wrong, with a notice; no injected markup",
    file: "e2e/routing.test.ts",
    test: "falls back to defaults on a hostile link, with a notice and no injected markup",
  },
];

/** Generated inputs (fast-check, tests/properties.test.ts): each property meets this many. */
export const PROPERTY_RUNS = 1000;
export const PROPERTY_CASES: { what: string; expected: string; file: string; test: string }[] = [
  {
    what: "every valid value of every link setting, texts up to 5,000 code points (compressed links)",
    expected: "the link opens the same settings, with no notice",
    test: "every valid setting survives a link unchanged, compressed or not",
  },
  {
    what: "hostile queries: random text, known and unknown keys with odd numbers, damaged z=",
    expected: "never throws; only valid values; each problem named; written back unchanged",
    test: "a hostile link never throws and leaves only valid values, each problem named",
  },
  {
    what: "any text (all of Unicode, specials as literals, long pastes) through the shipped tokenizer",
    expected: "round-trips exactly; ids in the vocabulary; equal to the Hugging Face tokenizer",
    test: "any text round-trips, with ids of the vocabulary and the Hugging Face tokenizer's ids",
  },
  {
    what: "route input lines: JSON texts, other JSON, not JSON",
    expected:
      "one output per line: a route with finite probabilities summing to 1, or an error naming the line",
    test: "every input line gets one output line: a route with finite probabilities, or an error naming the line",
  },
  {
    what: "a student zip with flipped, cut or inserted bytes, or random bytes",
    expected: "loads the saved student byte for byte, or a clear error; no tensor leaks",
    test: "a damaged zip loads exactly the saved student, or is refused with a clear message",
  },
  {
    what: "a zip without checksums whose model.json is any JSON or damaged text",
    expected: "a valid model or a clear error; no tensor leaks",
    test: "a zip without checksums whose model.json is damaged loads a valid model or says why not",
  },
].map((c) => ({ ...c, file: "tests/properties.test.ts" }));

/** The cases whose named test is missing from its file (the lists above must not drift). */
export function missingAppCases(): string[] {
  return [...APP_CASES, ...PROPERTY_CASES]
    .filter((c) => !readFileSync(join(ROOT, c.file), "utf8").includes(JSON.stringify(c.test)))
    .map((c) => `${c.file}: "${c.test}"`);
}

/** Runs every probe, `parallel` at a time, in a fresh fixtures folder. */
export async function runProbes(
  probes: Probe[] = PROBES,
  parallel = 2,
  onResult?: (probe: Probe, result: ProbeResult) => void,
): Promise<ProbeResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "mome-reliability-"));
  try {
    await makeFixtures(dir);
    const results: ProbeResult[] = new Array(probes.length);
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const i = next++;
        results[i] = await probes[i].run(dir).catch((e: Error) => ({
          outcome: "crash" as const,
          seen: `the probe itself failed: ${e.message}`,
        }));
        onResult?.(probes[i], results[i]);
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const OUTCOMES: Outcome[] = ["clear message", "crash", "silently wrong"];

/** The counts line: tried, and how many of each outcome. */
export function countsLine(results: ProbeResult[]): string {
  const counts = OUTCOMES.map((o) => `${results.filter((r) => r.outcome === o).length} ${o}`);
  return `${results.length} tried: ${counts.join(", ")}`;
}

function markdown(results: ProbeResult[]): string {
  const cell = (s: string) => s.replaceAll("|", "\\|").replaceAll("\n", " ");
  const groups = [...new Set(PROBES.map((p) => p.group))];
  const sections = groups.flatMap((group) => [
    `## ${group}`,
    "",
    "| fault or bad input | expected | outcome | seen |",
    "| --- | --- | --- | --- |",
    ...PROBES.flatMap((p, i) =>
      p.group === group
        ? [
            `| ${cell(p.what)} | ${cell(p.expected)} | ${results[i].outcome} | ${cell(results[i].seen.replaceAll(tmpdir(), "$TMP"))} |`,
          ]
        : [],
    ),
    "",
  ]);
  const appCases = [
    "## Faults of the app, checked by its tests",
    "",
    "Run by `npm test`; each test's assertions are the expected outcome.",
    "",
    "| fault or bad input | expected | test |",
    "| --- | --- | --- |",
    ...APP_CASES.map(
      (c) => `| ${cell(c.what)} | ${cell(c.expected)} | ${c.file}: ${cell(c.test)} |`,
    ),
    "",
    "## Generated inputs (property-based)",
    "",
    `Run by \`npm test\`: ${PROPERTY_RUNS.toLocaleString("en")} generated inputs for each property (fast-check, a fixed`,
    "seed printed by the test; PROPERTY_SEED=<seed> reruns one). They found four defects, now fixed:",
    "`?z=y` threw (lz-string throws on some damaged input), `-0` came back as `-0`, a model.json of",
    '`null` gave "Cannot read properties of null", and a model refused at a late parameter leaked tensors.',
    "",
    "| generated input | expected | test |",
    "| --- | --- | --- |",
    ...PROPERTY_CASES.map(
      (c) => `| ${cell(c.what)} | ${cell(c.expected)} | ${c.file}: ${cell(c.test)} |`,
    ),
    "",
  ];
  return [
    "# Reliability",
    "",
    "What the CLI does with bad input and faults: every case below is run by `npm run reliability`",
    "(scripts/reliability.ts), which wrote this file, and by `npm test` (tests/reliability.test.ts),",
    "which fails unless each outcome is a clear message. A crash is a stack trace, a signal or a",
    `hang (no answer within ${PROBE_TIME_LIMIT_MS / 1000} s); silently wrong is exit 0, or an`,
    "outcome other than the one expected.",
    "",
    `**CLI probes: ${countsLine(results)}.**`,
    "",
    `**App faults: ${APP_CASES.length} tried, each by a named test that \`npm test\` runs (a crash or a silently wrong outcome fails it). Generated inputs: ${PROPERTY_CASES.length} properties × ${PROPERTY_RUNS.toLocaleString("en")}.**`,
    "",
    ...sections,
    ...appCases,
  ].join("\n");
}

async function main(): Promise<void> {
  const { selectBackend } = await import("../src/ml/backend");
  await selectBackend(["wasm"]);
  const results = await runProbes(PROBES, 2, (probe, result) =>
    process.stderr.write(`${result.outcome.padEnd(15)} ${probe.what}\n`),
  );
  await writeFileMakingDirs(join(ROOT, "docs", "RELIABILITY.md"), markdown(results));
  process.stdout.write(`${countsLine(results)} → docs/RELIABILITY.md\n`);
}

if (process.argv[1] === import.meta.filename) await main();
