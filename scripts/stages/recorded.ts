/** Stage `recorded`: the lessons' race and forgetting runs at lesson size (→ public/recorded/lessons.json). */
import { join, relative } from "node:path";
import { selectBackend } from "../../src/ml/backend";
import { LANGUAGES, type Language } from "../../src/ml/languages";
import { Router } from "../../src/ml/router";
import { loadModelDir, loadTokenizer, readJson, readText, writeFileMakingDirs } from "../node-io";
import { MODELS, ROOT, TOKENIZER } from "./paths";

/** The lessons' key runs, recorded with the browser's code for the charts' dashed overlays. */
export async function recordedStage(): Promise<void> {
  await selectBackend(["wasm"]);
  const { lessonSettings, recordForgetting, recordRace, RECORDED_FILE } = await import(
    "../recorded"
  );
  const { parseRecorded } = await import("../../src/app/recorded");
  const tokenizer = await loadTokenizer(TOKENIZER);
  const texts = {} as Record<Language, string>;
  for (const lang of LANGUAGES)
    texts[lang] = await readText(join(ROOT, "public", "corpora", `${lang}.txt`));
  const teacher = await loadModelDir(join(MODELS, "teacher"));
  const races = [];
  for (const title of ["teacher-helps", "alpha-race"] as const)
    races.push(await recordRace(lessonSettings(title), texts, tokenizer, teacher));
  teacher.dispose();
  const router = Router.fromJSON(await readJson(join(MODELS, "router-paper.json")));
  const forgettingRun = await recordForgetting(
    lessonSettings("forgetting"),
    texts,
    tokenizer,
    router,
  );
  const file = parseRecorded({
    format: "mome-recorded",
    version: 2,
    command: "npm run models -- recorded",
    races,
    forgetting: forgettingRun,
  });
  await writeFileMakingDirs(RECORDED_FILE, `${JSON.stringify(file)}\n`);
  for (const race of races)
    for (const lane of race.lanes) {
      const last = lane.metrics.findLast((m) => m.valPerplexity !== undefined);
      process.stdout.write(
        `race ${race.race}, ${lane.label}: validation perplexity ${last?.valPerplexity?.toFixed(1)} after ${last?.step} steps (${race.seconds.toFixed(0)} s)\n`,
      );
    }
  const { sequential, moe, order } = forgettingRun.result;
  process.stdout.write(
    `forgetting: ${order[0]} perplexity after its phase ${sequential[0][order[0]]?.toFixed(1)}, after the last ${sequential.at(-1)?.[order[0]]?.toFixed(1)}; its expert ${moe[order[0]]?.toFixed(1)}\n`,
  );
  process.stdout.write(`→ ${relative(ROOT, RECORDED_FILE)}\n`);
}
