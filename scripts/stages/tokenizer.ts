/** Stage `tokenizer`: byte-level BPE on all four languages; prints compression at several sizes. */
import { writeFile } from "node:fs/promises";
import { type HfTokenizerJson, trainBpe } from "../../src/ml/bpe-trainer";
import { splitDocuments } from "../../src/ml/data";
import { LANGUAGES, type Language } from "../../src/ml/languages";
import { TOKENIZER_TRAINING } from "../../src/ml/presets";
import { BpeTokenizer } from "../../src/ml/tokenizer";
import { readText, registerArtifact } from "../node-io";
import { Progress } from "../progress";
import { MANIFEST, TOKENIZER, trainText, valText } from "./paths";

/** A tokenizer.json keeping only the first `size` tokens (BPE merges are ordered by priority). */
export function truncateVocab(json: HfTokenizerJson, size: number): HfTokenizerJson {
  const keep = size - 259;
  const merges = json.model.merges.slice(0, keep);
  const vocab = Object.fromEntries(Object.entries(json.model.vocab).filter(([, id]) => id < size));
  return { ...json, model: { ...json.model, vocab, merges } };
}

export async function tokenizerStage(args: string[]): Promise<void> {
  const chosen = Number(args[0] ?? TOKENIZER_TRAINING.vocabSize);
  const sizes = TOKENIZER_TRAINING.sizesMeasured;
  const perLanguageBytes = TOKENIZER_TRAINING.bytesPerLanguage;
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
