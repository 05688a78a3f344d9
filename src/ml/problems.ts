/**
 * Problems a person can cause: a damaged or foreign model file, another vocabulary, a text too
 * short, a failed download. Each is thrown as a ProblemError: a code and the values that fill it,
 * so that the app words it in its reader's language, and an English message, which the CLI prints
 * (it may say more than the code does, such as a schema's paths).
 */
export const PROBLEM_CODES = [
  // A file of a model (ours: model.json and shards; Hugging Face: config.json, model.safetensors).
  "notJson",
  "notOurModel",
  "modelDamaged",
  "checksum",
  "shardBytes",
  "fileMissing",
  "tensorMissing",
  "tensorShape",
  "configNumber",
  "configHeads",
  "gpt2Config",
  "safetensorsHeader",
  "safetensorsType",
  "safetensorsEntry",
  "safetensorsLayout",
  // Another model's vocabulary.
  "vocabularySize",
  "tokenizerType",
  "tokenizerToken",
  "tokenizerMerges",
  "teacherContext",
  // Training text.
  "textTooLarge",
  "textTooShort",
  // Downloads.
  "manifestInvalid",
  "httpStatus",
  "noAnswer",
  "stalled",
  "network",
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];
/** What fills a problem's wording; `at` (a file) and `tries` are added where the problem was met. */
export type ProblemValues = Readonly<Record<string, string | number>>;

export class ProblemError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly values: ProblemValues,
    message: string,
  ) {
    super(message);
    this.name = "ProblemError";
  }

  /** The same problem, met in `file` (a file being read, a download): the message says where. */
  at(file: string): ProblemError {
    return new ProblemError(this.code, { ...this.values, at: file }, `${file}: ${this.message}`);
  }
}

export const isProblemCode = (code: unknown): code is ProblemCode =>
  (PROBLEM_CODES as readonly unknown[]).includes(code);

/** `e`'s code and values when it is a problem (also one that crossed from a worker as plain data). */
export function problemOf(e: unknown): { code: ProblemCode; values: ProblemValues } | null {
  const { code, values } = (e ?? {}) as { code?: unknown; values?: unknown };
  return isProblemCode(code) && typeof values === "object" && values !== null
    ? { code, values: values as ProblemValues }
    : null;
}

/** The JSON in `bytes`, or a "notJson" problem naming `file`. */
export function parseJson(file: string, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new ProblemError("notJson", { file }, `${file} is not JSON (${(e as Error).message})`);
  }
}
