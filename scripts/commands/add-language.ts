import { readdirSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { languageData, routerWithLanguage, trainLanguageModels } from "../../src/ml/add-language";
import { heldOutPart } from "../../src/ml/data";
import { expertName, LANGUAGES } from "../../src/ml/languages";
import { sha256Hex } from "../../src/ml/manifest";
import { ADD_LANGUAGE } from "../../src/ml/presets";
import { NONE, runSteps } from "../../src/ml/router";
import { loadModelDir, loadTokenizer, readText, registerArtifact, saveModelDir } from "../node-io";
import { Progress } from "../progress";
import {
  action,
  int,
  program,
  report,
  SHIPPED_CORPORA,
  SHIPPED_MODELS,
  startBackend,
} from "./program";

/** The `add-language` command. */
export function registerAddLanguage(): void {
  program
    .command("add-language")
    .description(
      "add a language: the router re-fitted with one more class, a new expert (distilled or CE only), and a fine-tuned shared model for contrast",
    )
    .requiredOption("--name <id>", "the new class id (lower case), e.g. es")
    .requiredOption("--text <file>", "the language's text (UTF-8; the last tenth is held out)")
    .option("--display-name <name>", "its display name (default: the id)")
    .option(
      "--no-distil",
      "train the new expert with CE only (default: distilled from the teacher)",
    )
    .option(
      "--steps <n>",
      "training steps of the expert and of the shared model",
      int("steps", 1),
      ADD_LANGUAGE.steps,
    )
    .option("--seed <n>", "seed", int("seed", 0), 1)
    .option(
      "--models <dir>",
      "the shipped models (tokenizer, teacher, common expert)",
      SHIPPED_MODELS,
    )
    .option("--corpora <dir>", "the classes' texts (en, fr, de, py, none)", SHIPPED_CORPORA)
    .option(
      "--out <dir>",
      "where to write router.json, expert-<id>/ and manifest.json",
      "data/build/added",
    )
    .action(
      action(
        async (o: {
          name: string;
          text: string;
          displayName?: string;
          distil: boolean;
          steps: number;
          seed: number;
          models: string;
          corpora: string;
          out: string;
        }) => {
          if (
            !/^[a-z][a-z0-9_-]{0,15}$/.test(o.name) ||
            [...LANGUAGES, NONE].includes(o.name as never)
          )
            throw new Error(`--name must be a new lower-case class id, not ${o.name}`);
          await startBackend();
          const tokenizer = await loadTokenizer(join(o.models, "tokenizer.json"));
          const language = { id: o.name, name: o.displayName ?? o.name };
          const text = await readText(o.text);
          const texts = [];
          for (const label of [...LANGUAGES, NONE])
            texts.push({ label, text: await readText(join(o.corpora, `${label}.txt`)) });
          texts.push({ label: o.name, text });
          const heldOut = Object.fromEntries(
            texts
              .filter((t) => LANGUAGES.includes(t.label as never))
              .map((t) => [t.label, heldOutPart(t.text)]),
          );
          const expertFiles = (lang: string) =>
            readdirSync(join(o.models, expertName(lang))).map((f) =>
              join(o.models, expertName(lang), f),
            );
          const fingerprint = async () =>
            Object.fromEntries(
              await Promise.all(
                LANGUAGES.map(async (lang) => [
                  expertName(lang),
                  await sha256Hex(
                    Buffer.concat(
                      await Promise.all(
                        expertFiles(lang)
                          .sort()
                          .map((f) => readFile(f)),
                      ),
                    ),
                  ),
                ]),
              ),
            );
          const before = await fingerprint();
          const { router, report: routerReport } = runSteps(
            routerWithLanguage(texts, tokenizer, language, o.seed),
          );
          const teacher = o.distil ? await loadModelDir(join(o.models, "teacher")) : undefined;
          const shared = await loadModelDir(join(o.models, ADD_LANGUAGE.shared));
          const bar = new Progress("add-language", 2 * o.steps);
          let done = 0;
          try {
            const models = await trainLanguageModels({
              tokenizer,
              language: o.name,
              data: languageData(tokenizer, text),
              heldOut,
              shared,
              steps: o.steps,
              seed: o.seed,
              teacher,
              onStep: () => bar.update(++done),
            });
            bar.stop();
            await mkdir(o.out, { recursive: true });
            const routerPath = join(o.out, "router.json");
            await writeFile(routerPath, JSON.stringify(router.toJSON()));
            const manifest = join(o.out, "manifest.json");
            await registerArtifact(
              manifest,
              {
                name: "router",
                kind: "router",
                config: {
                  classifier: "logreg",
                  features: "tokens+chars",
                  classes: routerReport.classes,
                },
                training: { texts: `${o.corpora} + ${o.text}`, seed: o.seed },
                metrics: {
                  accuracyByLength: routerReport.accuracyByLength,
                  accuracyAtLeast100Chars: routerReport.report.accuracy,
                },
              },
              [routerPath],
            );
            const expertDir = join(o.out, expertName(o.name));
            const paths = await saveModelDir(models.expert, expertDir);
            await registerArtifact(
              manifest,
              {
                name: expertName(o.name),
                kind: "gpt",
                config: { ...models.expert.config },
                training: { steps: o.steps, distilled: o.distil, seed: o.seed },
                metrics: { validationPerplexity: { [o.name]: models.expertPerplexity } },
              },
              paths,
            );
            models.expert.dispose();
            const after = await fingerprint();
            report({
              out: o.out,
              classes: routerReport.classes,
              routerAccuracyByLength: routerReport.accuracyByLength,
              expertPerplexity: models.expertPerplexity,
              sharedModel: ADD_LANGUAGE.shared,
              sharedBefore: models.shared.before,
              sharedAfter: models.shared.after,
              existingExpertsUnchanged: LANGUAGES.every(
                (l) => before[expertName(l)] === after[expertName(l)],
              ),
              expertWeightsSha256: after,
            });
          } finally {
            bar.stop();
            shared.dispose();
            teacher?.dispose();
          }
        },
      ),
    );
}
