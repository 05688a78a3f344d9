import { encodePrompt } from "../../src/ml/data";
import { generate } from "../../src/ml/generate";
import { loadModelDir, loadTokenizer } from "../node-io";
import {
  action,
  float,
  globals,
  int,
  program,
  report,
  SHIPPED,
  sameVocabulary,
  startBackend,
} from "./program";

/** The `generate` command. */
export function registerGenerate(): void {
  program
    .command("generate")
    .description("sample a continuation of a prompt")
    .option("--model <dir>", "saved model folder", SHIPPED.teacher)
    .option("--tokenizer <file>", "tokenizer.json", SHIPPED.tokenizer)
    .option("--prompt <text>", "prompt text (default: empty, i.e. just <bos>)", "")
    .option("--max-tokens <n>", "new tokens at most", int("max tokens", 0), 64)
    .option("--temperature <t>", "0 = greedy", float("temperature", 0, 10), 0.8)
    .option("--top-k <k>", "keep the k most likely tokens (0 = all)", int("top-k", 0), 40)
    .option("--top-p <p>", "nucleus sampling mass", float("top-p", 1e-6, 1), 0.95)
    .option("--seed <n>", "sampling seed", int("seed", 0), 0)
    .option("--no-cache", "recompute the window for every token (slower; for comparison)")
    .option(
      "--code",
      "the prompt is code: keep its blank lines in one document (prose paragraphs become documents, as in training)",
    )
    .action(
      action(
        async (o: {
          model: string;
          tokenizer: string;
          prompt: string;
          code?: boolean;
          maxTokens: number;
          temperature: number;
          topK: number;
          topP: number;
          seed: number;
          cache: boolean;
        }) => {
          await startBackend();
          const tokenizer = await loadTokenizer(o.tokenizer);
          const model = await loadModelDir(o.model, o.tokenizer);
          sameVocabulary(`the model ${o.model}`, model.config.vocabSize, tokenizer);
          const prompt = encodePrompt(tokenizer, o.prompt, !o.code);
          const ids: number[] = [];
          let shown = "";
          const started = performance.now();
          let firstTokenMs = 0;
          const options = {
            maxNewTokens: o.maxTokens,
            temperature: o.temperature,
            topK: o.topK,
            topP: o.topP,
            seed: o.seed,
            stopOnEos: true,
            useCache: o.cache,
          };
          if (!globals().json) process.stdout.write(o.prompt);
          for await (const t of generate(model, prompt, options)) {
            if (ids.length === 0) firstTokenMs = performance.now() - started;
            ids.push(t.id);
            // Stream whole characters only: a token can end inside a multi-byte UTF-8 character.
            const text = tokenizer.decode(ids);
            if (!globals().json && !text.endsWith("\uFFFD")) {
              process.stdout.write(text.slice(shown.length));
              shown = text;
            }
          }
          const seconds = (performance.now() - started) / 1000;
          const text = tokenizer.decode(ids);
          if (globals().json)
            report({
              prompt: o.prompt,
              text,
              ids,
              tokensPerSec: ids.length / seconds,
              firstTokenMs,
            });
          else process.stdout.write(`${text.slice(shown.length)}\n`);
          model.dispose();
        },
      ),
    );
}
