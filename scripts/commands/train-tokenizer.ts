import { MAX_VOCAB_SIZE, trainBpe } from "../../src/ml/bpe-trainer";
import { splitDocuments } from "../../src/ml/data";
import { readText, registerArtifact, writeFileMakingDirs } from "../node-io";
import { Progress } from "../progress";
import { action, int, program, report } from "./program";

/** The `train-tokenizer` command. */
export function registerTrainTokenizer(): void {
  program
    .command("train-tokenizer")
    .description("train a byte-level BPE tokenizer and write a Hugging Face tokenizer.json")
    .argument("<files...>", "UTF-8 text files to learn from")
    .requiredOption("--out <file>", "where to write tokenizer.json")
    .option(
      "--vocab-size <n>",
      "vocabulary size (incl. 3 special tokens and 256 bytes)",
      int("vocab size", 259, MAX_VOCAB_SIZE),
      4096,
    )
    .option(
      "--min-frequency <n>",
      "merge only pairs seen at least this often",
      int("min frequency", 1),
      2,
    )
    .option("--manifest <file>", "register the tokenizer in this manifest.json")
    .option("--name <name>", "artifact name in the manifest", "tokenizer")
    .action(
      action(
        async (
          files: string[],
          o: {
            out: string;
            vocabSize: number;
            minFrequency: number;
            manifest?: string;
            name: string;
          },
        ) => {
          const texts = await Promise.all(files.map(readText));
          const docs = texts.flatMap(splitDocuments);
          if (docs.every((d) => d.trim() === ""))
            throw new Error(`${files.join(", ")}: no text to learn from`);
          const bar = new Progress("merges", o.vocabSize - 259);
          const json = trainBpe(docs, {
            vocabSize: o.vocabSize,
            minFrequency: o.minFrequency,
            onProgress: (done) => bar.update(done),
          });
          bar.stop();
          const wanted = o.vocabSize - 259;
          if (json.model.merges.length < wanted)
            process.stderr.write(
              `note: the text supports ${json.model.merges.length} merges (pairs seen at least ${o.minFrequency} times), not ${wanted}: the vocabulary has ${json.model.merges.length + 259} tokens\n`,
            );
          await writeFileMakingDirs(o.out, JSON.stringify(json));
          const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);
          const vocabSize = Object.keys(json.model.vocab).length;
          if (o.manifest) {
            await registerArtifact(
              o.manifest,
              { name: o.name, kind: "tokenizer", config: { vocabSize } },
              [o.out],
            );
          }
          report({ out: o.out, vocabSize, merges: json.model.merges.length, trainingBytes: bytes });
        },
      ),
    );
}
