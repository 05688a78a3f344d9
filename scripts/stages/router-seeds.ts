/** Stage `router-seeds`: the default router at three training orders against every goal (→ docs/results). */
import { join, relative } from "node:path";
import { loadTokenizer, writeFileMakingDirs } from "../node-io";
import { loadRouterEvalSets } from "../router-eval";
import { type RouterGoal, routerGoals } from "../router-goals";
import { RESULTS, ROOT, TOKENIZER } from "./paths";
import { fitShippedRouter, SHIPPED_ROUTERS } from "./router";

/** Training orders compared by `router-seeds`: 1 is the shipped router's. */
const ROUTER_SEEDS = [1, 2, 3];

/**
 * The default router re-trained with each of ROUTER_SEEDS (the order its snippets are met in; the
 * data, settings and threshold rule stay those shipped), scored against every goal of
 * routerGoals → docs/results/router-seeds.md: how far the goals move with nothing but the
 * training order, beside how far they are missed.
 */
export async function routerSeedsStage(): Promise<void> {
  const tokenizer = await loadTokenizer(TOKENIZER);
  const encode = (s: string) => tokenizer.encode(s);
  const sets = await loadRouterEvalSets(encode);
  const shipped = SHIPPED_ROUTERS[1];
  const bySeed: RouterGoal[][] = [];
  for (const seed of ROUTER_SEEDS) {
    const { router } = await fitShippedRouter(tokenizer, shipped, seed);
    bySeed.push(routerGoals(router, sets, encode));
  }
  const cell = (g: RouterGoal) =>
    `${g.met ? "met" : "**not met**"}: ${g.figure}${g.onlyOursOnlyEld ? ` (${g.onlyOursOnlyEld})` : ""}`;
  const lines = [
    `# The default router's goals at ${ROUTER_SEEDS.length} training orders`,
    "",
    `\`npm run models -- router-seeds\`, ${new Date().toISOString().slice(0, 10)}. Seed ${ROUTER_SEEDS[0]} is the shipped router (public/models/router.json); each other seed re-trains it on the same snippets, with the same settings and "none" threshold rule, meeting the snippets in another order. eld's figures do not depend on the seed: the target column shows them. Beside each en/fr/de figure: texts right only for ours / only for eld.`,
    "",
    `| goal | target | ${ROUTER_SEEDS.map((s) => `seed ${s}`).join(" | ")} |`,
    `|---|---|${ROUTER_SEEDS.map(() => "---").join("|")}|`,
    ...bySeed[0].map(
      (g, i) =>
        `| ${g.goal} | ${g.target} | ${bySeed.map((goals) => cell(goals[i])).join(" | ")} |`,
    ),
    `| goals met | | ${bySeed.map((goals) => `${goals.filter((g) => g.met).length} of ${goals.length}`).join(" | ")} |`,
    "",
  ];
  await writeFileMakingDirs(join(RESULTS, "router-seeds.md"), lines.join("\n"));
  process.stdout.write(
    `${lines.join("\n")}\n→ ${relative(ROOT, join(RESULTS, "router-seeds.md"))}\n`,
  );
}
