/**
 * MoME Lab command line: the same src/ml code the browser runs, from a terminal.
 * Run `npm run cli -- --help`, or `npm run cli -- <command> --help`. One file per command, in
 * scripts/commands/.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { registerAddLanguage } from "./commands/add-language";
import { registerBench } from "./commands/bench";
import { registerEval } from "./commands/eval";
import { registerExport } from "./commands/export";
import { registerGenerate } from "./commands/generate";
import { program } from "./commands/program";
import { registerRoute } from "./commands/route";
import { registerTrain } from "./commands/train";
import { registerTrainRouter } from "./commands/train-router";
import { registerTrainTokenizer } from "./commands/train-tokenizer";

for (const register of [
  registerTrainTokenizer,
  registerTrain,
  registerEval,
  registerGenerate,
  registerExport,
  registerTrainRouter,
  registerRoute,
  registerAddLanguage,
  registerBench,
])
  register();

// `npm run cli -- --version` reads the package version.
const pkg = JSON.parse(await readFile(join(import.meta.dirname, "..", "package.json"), "utf8")) as {
  version: string;
};
program.version(pkg.version);
await program.parseAsync(process.argv);
