/** What every CLI command shares: the program and its global options, number parsers, output, errors. */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Command, InvalidArgumentError, Option } from "commander";
import { selectBackend } from "../../src/ml/backend";
import {
  BACKENDS,
  type BackendName,
  describeBackendChoice,
  isBackendName,
} from "../../src/ml/backend-names";
import { Progress } from "../progress";

// tfjs prints a banner suggesting tfjs-node, which cannot install here; PROD mode silences it.
tf.env().set("PROD", true);

export const int =
  (name: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be an integer ≥ ${min}`
          : `${name} must be an integer in [${min}, ${max}]`,
      );
    return n;
  };

export const float = (name: string, min: number, max: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a number in [${min}, ${max}]`);
  return n;
};

export interface GlobalOptions {
  backend: BackendName;
  json: boolean;
}

/** The models this repository ships: the defaults of route, generate and eval. */
export const SHIPPED_MODELS = join(import.meta.dirname, "..", "..", "public", "models");

export const SHIPPED_CORPORA = join(import.meta.dirname, "..", "..", "public", "corpora");

export const SHIPPED = {
  teacher: join(SHIPPED_MODELS, "teacher"),
  tokenizer: join(SHIPPED_MODELS, "tokenizer.json"),
  router: join(SHIPPED_MODELS, "router.json"),
};

export const program = new Command("mome")
  .description("MoME Lab: train, distil, route and measure small language experts (TensorFlow.js)")
  .addOption(
    new Option("--backend <name>", "TensorFlow.js backend").choices([...BACKENDS]).default("wasm"),
  )
  .option("--json", "machine-readable output (JSON on stdout)", false)
  .showHelpAfterError();

export function globals(): GlobalOptions {
  return program.opts<GlobalOptions>();
}

/** Prints a result: JSON with --json, else `key: value` lines. */
export function report(result: Record<string, unknown>): void {
  if (globals().json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  for (const [k, v] of Object.entries(result)) {
    process.stdout.write(`${k}: ${typeof v === "object" ? JSON.stringify(v) : v}\n`);
  }
}

export async function startBackend(): Promise<string> {
  const { backend } = globals();
  if (!isBackendName(backend)) throw new Error(`unknown backend ${backend}`);
  return describeBackendChoice(await selectBackend([backend]));
}

/** A reader that went away (`route | head -1`) ends the process quietly, as Unix tools do. */
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

/** The tokenizer and a model or router must share one vocabulary, or the ids mean nothing. */
export function sameVocabulary(what: string, size: number, tokenizer: { vocabSize: number }): void {
  if (size !== tokenizer.vocabSize)
    throw new Error(
      `${what} has ${size} tokens but the tokenizer has ${tokenizer.vocabSize}: they were not made together`,
    );
}

/** Wraps an action: clean one-line errors, exit code 1, no stack traces. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      Progress.stopAll(); // a bar left running keeps the process alive after its error
      process.stderr.write(`error: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  };
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
