import { Option } from "commander";
import { expertName, LANGUAGE_NAMES } from "../../src/ml/languages";
import {
  ROUTER_EXAMPLES_PER_LANGUAGE,
  ROUTER_MAX_FALSE_NONE,
  routerFitOptions,
} from "../../src/ml/presets";
import {
  CLASSIFIERS,
  type ClassifierKind,
  classificationReport,
  codeClassIds,
  EVAL_LENGTHS,
  FEATURE_SETS,
  type FeatureSet,
  fitRouter,
  type LanguageText,
  NONE,
  NONE_CLASS,
  type RouterClass,
  type RouterExample,
  routerDataset,
} from "../../src/ml/router";
import { loadTokenizer, readText, registerArtifact, writeFileMakingDirs } from "../node-io";
import { action, int, program, report } from "./program";

/** The `train-router` command. */
export function registerTrainRouter(): void {
  program
    .command("train-router")
    .description(
      "train the language router (TF-IDF over token ids, optionally character n-grams, + a linear classifier)",
    )
    .requiredOption("--tokenizer <file>", "tokenizer.json")
    .requiredOption(
      "--data <class=file...>",
      "one text file per class (a new language too): en=… fr=… de=… py=… es=…",
    )
    .requiredOption("--out <file>", "where to write router.json")
    .option("--none <file>", 'text of none of the classes: adds a "none of these" class')
    .option("--name <class=Name...>", "display names of classes beyond en, fr, de, py", [])
    .option("--code <class...>", "classes whose text is code (laid out as one document)", ["py"])
    .addOption(
      new Option("--classifier <kind>", "classifier").choices([...CLASSIFIERS]).default("logreg"),
    )
    .addOption(
      new Option("--features <set>", "tokens (the paper's) or tokens+chars")
        .choices([...FEATURE_SETS])
        .default("tokens"),
    )
    .option(
      "--examples <n>",
      "training snippets of 20–1000 characters per class",
      int("examples", 1),
      ROUTER_EXAMPLES_PER_LANGUAGE,
    )
    .option("--epochs <n>", "training epochs (logreg, svm)", int("epochs", 1))
    .option("--seed <n>", "shuffle seed", int("seed", 0), 0)
    .option("--manifest <file>", "register the router in this manifest.json")
    .option("--artifact <name>", "artifact name in the manifest", "router")
    .action(
      action(
        async (o: {
          tokenizer: string;
          data: string[];
          out: string;
          none?: string;
          name: string[];
          code: string[];
          classifier: ClassifierKind;
          features: FeatureSet;
          examples: number;
          epochs?: number;
          seed: number;
          manifest?: string;
          artifact: string;
        }) => {
          const tokenizer = await loadTokenizer(o.tokenizer);
          const names = new Map<string, string>(Object.entries(LANGUAGE_NAMES));
          for (const pair of o.name) {
            const [id, name] = pair.split("=", 2);
            if (!id || !name) throw new Error(`--name expects class=Name, got ${pair}`);
            names.set(id, name);
          }
          const texts: LanguageText[] = [];
          const classes: RouterClass[] = [];
          for (const pair of o.data) {
            const [id, file] = pair.split("=", 2);
            if (!/^[a-z][a-z0-9_-]{0,15}$/.test(id ?? "") || id === NONE || !file)
              throw new Error(`--data expects class=file with a lower-case class id, got ${pair}`);
            if (classes.some((c) => c.id === id)) throw new Error(`--data names ${id} twice`);
            texts.push({ label: id, train: await readText(file) });
            classes.push({
              id,
              name: names.get(id) ?? id,
              expert: expertName(id),
              layout: o.code.includes(id) ? "code" : "prose",
            });
          }
          if (classes.length < 2) throw new Error("--data needs at least two classes");
          if (o.none) {
            texts.push({ label: NONE, train: await readText(o.none) });
            classes.push(NONE_CLASS);
          }
          const { train: examples } = routerDataset(texts, (s) => tokenizer.encode(s), {
            perLanguage: o.examples,
            evalSnippets: 0,
            codeClasses: codeClassIds(classes, o.features),
          });
          // 80/20 split, stratified by taking every fifth example of each class.
          const held = examples.filter((_, i) => i % 5 === 4);
          const fit = examples.filter((_, i) => i % 5 !== 4);
          const fitOptions = {
            ...routerFitOptions(o.classifier, tokenizer.vocabSize, o.features),
            ...(o.epochs ? { epochs: o.epochs } : {}),
            classes,
            seed: o.seed,
          };
          const ids = classes.map((c) => c.id);
          // With a none class, its thresholds are chosen on the held-out fifth (by length); the
          // saved router is then refit on every example.
          const heldByLength = new Map<number, RouterExample[]>();
          for (const e of held.filter((x) => x.label !== NONE)) {
            const bucket = EVAL_LENGTHS.find((l) => (e.text?.length ?? 0) <= l) ?? 1000;
            heldByLength.set(bucket, [...(heldByLength.get(bucket) ?? []), e]);
          }
          const { router: final, uncalibrated } = fitRouter(fit, heldByLength, {
            ...fitOptions,
            maxFalseNone: ROUTER_MAX_FALSE_NONE,
            refitOn: examples,
          });
          const heldReport = classificationReport(
            held.map((e) => e.label),
            held.map((e) => uncalibrated.predict(e).label),
            ids,
          );
          await writeFileMakingDirs(o.out, JSON.stringify(final.toJSON()));
          const metrics = {
            heldOutAccuracy: heldReport.accuracy,
            heldOutWeightedF1: heldReport.weighted.f1,
            heldOutExamples: held.length,
          };
          if (o.manifest) {
            await registerArtifact(
              o.manifest,
              {
                name: o.artifact,
                kind: "router",
                config: {
                  classifier: o.classifier,
                  features: o.features,
                  vocabSize: tokenizer.vocabSize,
                  classes: ids,
                },
                training: { examplesPerClass: o.examples, epochs: fitOptions.epochs, seed: o.seed },
                metrics,
              },
              [o.out],
            );
          }
          report({
            out: o.out,
            classifier: o.classifier,
            features: o.features,
            classes: ids,
            trainingExamples: examples.length,
            ...metrics,
            confusion: heldReport.confusion,
          });
        },
      ),
    );
}
