import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { validationPerplexity } from "../../src/ml/artifact-metrics";
import { describeModel, huggingFaceFiles } from "../../src/ml/export/hf-folder";
import { gptTensors } from "../../src/ml/export/hf-import";
import { parseManifest } from "../../src/ml/manifest";
import { loadModelDir, readJson } from "../node-io";
import { action, program, report, SHIPPED, startBackend } from "./program";

/** Validation perplexity of `name` from the manifest beside its folder, if it has one. */
async function measuredPerplexity(dir: string): Promise<Record<string, number> | undefined> {
  const manifestFile = join(dirname(resolve(dir)), "manifest.json");
  if (!existsSync(manifestFile)) return undefined;
  return validationPerplexity(
    parseManifest(await readJson(manifestFile)).artifacts.find(
      (a) => a.name === basename(resolve(dir)),
    ),
  );
}

/** The `export` command. */
export function registerExport(): void {
  program
    .command("export")
    .description(
      "write a model as a Hugging Face folder: config.json, model.safetensors, tokenizer files, onnx/model.onnx (with a KV cache) and a model card",
    )
    .option(
      "--model <dir>",
      "saved model folder (the teacher, an expert or a student)",
      SHIPPED.teacher,
    )
    .option("--tokenizer <file>", "tokenizer.json", SHIPPED.tokenizer)
    .requiredOption("--out <dir>", "the folder to write")
    .action(
      action(async (o: { model: string; tokenizer: string; out: string }) => {
        await startBackend();
        const model = await loadModelDir(o.model, o.tokenizer);
        const name = basename(resolve(o.model));
        const files = huggingFaceFiles({
          name,
          description: describeModel(name),
          config: model.config,
          params: await gptTensors(model),
          tokenizer: (await readJson(o.tokenizer)) as Record<string, unknown>,
          validationPerplexity: await measuredPerplexity(o.model),
        });
        model.dispose();
        for (const [path, bytes] of files) {
          await mkdir(dirname(join(o.out, path)), { recursive: true });
          await writeFile(join(o.out, path), bytes);
        }
        report({
          out: o.out,
          files: Object.fromEntries([...files].map(([path, bytes]) => [path, bytes.length])),
        });
      }),
    );
}
