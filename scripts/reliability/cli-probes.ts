/** The CLI's faults and bad inputs, one probe each, grouped by what they hit. */

import { writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { GPT } from "../../src/ml/gpt";
import { loadModelDir, saveOrKeep } from "../node-io";
import {
  cli,
  cliError,
  INPUT,
  lastLine,
  MODEL_FILES,
  OUTPUT,
  PROBE_MODEL,
  type Probe,
  runChild,
  SHIPPED,
  trainInto,
} from "./harness";

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
