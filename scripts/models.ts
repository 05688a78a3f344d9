/**
 * `npm run models -- <stage>`: trains the shipped models from the corpora (`npm run corpora` first)
 * and registers them in public/models/manifest.json. Stages, in order:
 *   tokenizer  byte-level BPE on all four languages; prints compression at several sizes
 *   encode     token streams of every corpus (cached under data/build/tokens)
 * Each stage can be re-run; long ones checkpoint and resume.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type HfTokenizerJson, trainBpe } from "../src/ml/bpe-trainer";
import { encodeCorpus, splitDocuments } from "../src/ml/data";
import { LANGUAGES, type Language } from "../src/ml/router";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { loadTokenizer, readText, registerArtifact } from "./node-io";
import { Progress } from "./progress";

const ROOT = join(import.meta.dirname, "..");
export const MODELS = join(ROOT, "public", "models");
export const MANIFEST = join(MODELS, "manifest.json");
export const TOKENIZER = join(MODELS, "tokenizer.json");
const TOKENS = join(ROOT, "data", "build", "tokens");

export const trainText = (lang: Language) => join(ROOT, "data", "corpora", lang, "train.txt");
export const valText = (lang: Language) => join(ROOT, "data", "val", `${lang}.txt`);

/** A tokenizer.json keeping only the first `size` tokens (BPE merges are ordered by priority). */
export function truncateVocab(json: HfTokenizerJson, size: number): HfTokenizerJson {
  const keep = size - 259;
  const merges = json.model.merges.slice(0, keep);
  const vocab = Object.fromEntries(Object.entries(json.model.vocab).filter(([, id]) => id < size));
  return { ...json, model: { ...json.model, vocab, merges } };
}

async function tokenizerStage(args: string[]): Promise<void> {
  const chosen = Number(args[0] ?? 4096);
  const sizes = [1024, 2048, 4096, 8192];
  const perLanguageBytes = 3_000_000;
  const docs: string[] = [];
  for (const lang of LANGUAGES) {
    // The same amount of text per language, so no language dominates the merges.
    let bytes = 0;
    for (const d of splitDocuments(await readText(trainText(lang)))) {
      if (bytes > perLanguageBytes) break;
      docs.push(d);
      bytes += Buffer.byteLength(d);
    }
  }
  const bar = new Progress("merges", Math.max(...sizes) - 259);
  const full = trainBpe(docs, {
    vocabSize: Math.max(...sizes, chosen),
    onProgress: (d) => bar.update(d),
  });
  bar.stop();
  const table: Record<string, Record<Language, number>> = {};
  for (const size of sizes) {
    const tokenizer = new BpeTokenizer(truncateVocab(full, size));
    table[size] = {} as Record<Language, number>;
    for (const lang of LANGUAGES) {
      const text = await readText(valText(lang));
      table[size][lang] = Buffer.byteLength(text) / tokenizer.encode(text).length;
    }
    process.stdout.write(
      `vocab ${size}: bytes per token ${LANGUAGES.map((l) => `${l} ${table[size][l].toFixed(2)}`).join(", ")}\n`,
    );
  }
  await writeFile(TOKENIZER, JSON.stringify(truncateVocab(full, chosen)));
  const bytesPerToken = table[chosen] ?? {};
  await registerArtifact(
    MANIFEST,
    {
      name: "tokenizer",
      kind: "tokenizer",
      config: { vocabSize: chosen, type: "byte-level BPE" },
      training: {
        bytesPerLanguage: perLanguageBytes,
        sizesMeasured: sizes,
        bytesPerTokenBySize: table,
      },
      metrics: { validationBytesPerToken: bytesPerToken },
    },
    [TOKENIZER],
  );
}

/** Token streams of a corpus file, cached by the tokenizer's and the text's sizes. */
export async function tokens(path: string, name: string): Promise<Int32Array> {
  const tokenizerBytes = (await readFile(TOKENIZER)).length;
  const cache = join(TOKENS, `${name}-${tokenizerBytes}.bin`);
  if (existsSync(cache)) return new Int32Array((await readFile(cache)).buffer.slice(0));
  const tokenizer = await loadTokenizer(TOKENIZER);
  const ids = encodeCorpus(tokenizer, await readText(path));
  await mkdir(TOKENS, { recursive: true });
  await writeFile(cache, new Uint8Array(ids.buffer));
  return ids;
}

async function encodeStage(): Promise<void> {
  for (const lang of LANGUAGES) {
    const train = await tokens(trainText(lang), `${lang}-train`);
    const val = await tokens(valText(lang), `${lang}-val`);
    process.stdout.write(
      `${lang}: ${train.length} training tokens, ${val.length} validation tokens\n`,
    );
  }
}

const STAGES: Record<string, (args: string[]) => Promise<void>> = {
  tokenizer: tokenizerStage,
  encode: encodeStage,
};

const [stage, ...rest] = process.argv.slice(2);
const run = STAGES[stage ?? ""];
if (!run) {
  process.stderr.write(`usage: npm run models -- <${Object.keys(STAGES).join("|")}> [args]\n`);
  process.exit(2);
}
await run(rest);
