import { encodeCorpus } from "../../src/ml/data";
import { evaluate } from "../../src/ml/evaluate";
import { loadModelDir, loadTokenizer, readText } from "../node-io";
import { Progress } from "../progress";
import { action, int, program, report, SHIPPED, sameVocabulary, startBackend } from "./program";

/** The `eval` command. */
export function registerEval(): void {
  program
    .command("eval")
    .description("validation loss and perplexity of a model on a text file")
    .option("--model <dir>", "saved model folder", SHIPPED.teacher)
    .option("--tokenizer <file>", "tokenizer.json", SHIPPED.tokenizer)
    .requiredOption("--text <file>", "text to score")
    .option(
      "--seq-len <n>",
      "window length (default: the model's context)",
      int("sequence length", 1),
    )
    .option("--batch-size <n>", "windows per batch", int("batch size", 1), 8)
    .option("--max-batches <n>", "stop after N batches (default: all)", int("max batches", 1))
    .action(
      action(
        async (o: {
          model: string;
          tokenizer: string;
          text: string;
          seqLen?: number;
          batchSize: number;
          maxBatches?: number;
        }) => {
          await startBackend();
          const tokenizer = await loadTokenizer(o.tokenizer);
          const model = await loadModelDir(o.model, o.tokenizer);
          sameVocabulary(`the model ${o.model}`, model.config.vocabSize, tokenizer);
          const tokens = encodeCorpus(tokenizer, await readText(o.text));
          const seqLen = o.seqLen ?? model.config.contextLength;
          const windows = Math.ceil((tokens.length - 1) / seqLen);
          const bar = new Progress(
            "batches",
            Math.min(Math.ceil(windows / o.batchSize), o.maxBatches ?? Number.POSITIVE_INFINITY),
          );
          const result = await evaluate(model, tokens, {
            seqLen,
            batchSize: o.batchSize,
            maxBatches: o.maxBatches,
            onProgress: (d) => bar.update(d),
          });
          bar.stop();
          model.dispose();
          if (!Number.isFinite(result.loss) || !Number.isFinite(result.perplexity))
            throw new Error(
              `the loss is ${result.loss}: the model gives no finite probabilities (are its files intact?)`,
            );
          report({ model: o.model, text: o.text, ...result });
        },
      ),
    );
}
