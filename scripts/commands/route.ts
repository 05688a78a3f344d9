import { Router } from "../../src/ml/router";
import { loadTokenizer, readJson, readText } from "../node-io";
import { routeJsonLines } from "../route-lines";
import { action, program, readStdin, SHIPPED, sameVocabulary } from "./program";

/** The `route` command. */
export function registerRoute(): void {
  program
    .command("route")
    .description(
      'route text to the router\'s classes (en|fr|de|py, none…): --text, or JSONL lines ({"text": …}); one JSONL line out per text',
    )
    .option("--router <file>", "router.json", SHIPPED.router)
    .option("--tokenizer <file>", "tokenizer.json", SHIPPED.tokenizer)
    .option("--text <text>", "one text to route")
    .option("--input <file>", "JSONL input (default: standard input)")
    .action(
      action(async (o: { router: string; tokenizer: string; text?: string; input?: string }) => {
        const tokenizer = await loadTokenizer(o.tokenizer);
        const router = Router.fromJSON(await readJson(o.router));
        sameVocabulary(`the router ${o.router}`, router.vocabSize, tokenizer);
        const routeOne = (text: string) => {
          if (text.trim() === "") throw new Error("the text is empty: there is nothing to route");
          const { label, top, probs, noneThreshold } = router.route(text, (s) =>
            tokenizer.encode(s),
          );
          const name = router.classes.find((c) => c.id === label)?.name ?? label;
          return { label, name, top, probs, noneThreshold };
        };
        if (o.text !== undefined) {
          process.stdout.write(`${JSON.stringify(routeOne(o.text))}\n`);
          return;
        }
        const input = o.input ? await readText(o.input) : await readStdin();
        const { outputs, bad } = routeJsonLines(input, routeOne);
        for (const out of outputs) {
          if ("error" in out) process.stderr.write(`line ${out.line}: ${out.error}\n`);
          process.stdout.write(`${JSON.stringify(out)}\n`);
        }
        if (bad > 0) process.exitCode = 2;
      }),
    );
}
