/** Stage `encode`: token streams of every corpus, cached under data/build/tokens. */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeCorpus } from "../../src/ml/data";
import { LANGUAGES } from "../../src/ml/languages";
import { loadTokenizer, readText } from "../node-io";
import { TOKENIZER, TOKENS, trainText, valText } from "./paths";

/**
 * Token streams of a corpus file, cached by the tokenizer's and the text's sha256 (a rebuilt corpus,
 * e.g. from another package version, must not reuse the old tokens).
 */
export async function tokens(path: string, name: string): Promise<Int32Array> {
  const text = await readText(path);
  const key = [await readFile(TOKENIZER), Buffer.from(text)]
    .map((bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 12))
    .join("-");
  const cache = join(TOKENS, `${name}-${key}.bin`);
  if (existsSync(cache)) return new Int32Array((await readFile(cache)).buffer.slice(0));
  const tokenizer = await loadTokenizer(TOKENIZER);
  const ids = encodeCorpus(tokenizer, text);
  await mkdir(TOKENS, { recursive: true });
  await writeFile(cache, new Uint8Array(ids.buffer));
  return ids;
}

export async function encodeStage(): Promise<void> {
  for (const lang of LANGUAGES) {
    const train = await tokens(trainText(lang), `${lang}-train`);
    const val = await tokens(valText(lang), `${lang}-val`);
    process.stdout.write(
      `${lang}: ${train.length} training tokens, ${val.length} validation tokens\n`,
    );
  }
}
