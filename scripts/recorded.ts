/**
 * `npm run models -- recorded`: the lessons' key runs at lesson size — the race of fixed against
 * adaptive α (lesson step 4) and the forgetting run (step 6) — trained with the browser's own code
 * (src/ml/lanes.ts, src/ml/experiments.ts) on the bundled corpora, and written to
 * public/recorded/lessons.json for the charts to draw as dashed "recorded" lines.
 */
import { join } from "node:path";
import { LESSON } from "../src/app/lessons";
import { decodeLanes, laneLabels, laneRequest } from "../src/app/race";
import { RECORDED_PATH, type RecordedLessons, type RecordedRace } from "../src/app/recorded";
import { defaultSettings, type Settings } from "../src/app/settings";
import { encodeCorpus } from "../src/ml/data";
import { forgetting, forgettingSteps, type LanguageStreams } from "../src/ml/experiments";
import type { GPT } from "../src/ml/gpt";
import { browserSplit, laneStudents, trainLanes } from "../src/ml/lanes";
import { LANGUAGES, type Language } from "../src/ml/languages";
import { forgettingLessonSettings } from "../src/ml/presets";
import type { Router } from "../src/ml/router";
import { TeacherCache } from "../src/ml/teacher-cache";
import type { BpeTokenizer } from "../src/ml/tokenizer";
import type { StepMetrics } from "../src/ml/train";
import { Progress } from "./progress";

/** The recorded file's place in the repository. */
export const RECORDED_FILE = join(import.meta.dirname, "..", "public", RECORDED_PATH);

/** The settings a lesson step opens with (the defaults, then the step's own). */
export function lessonSettings(id: (typeof LESSON)[number]["id"]): Settings {
  const step = LESSON.find((s) => s.id === id);
  if (!step) throw new Error(`no lesson step "${id}"`);
  return { ...defaultSettings(), ...step.settings };
}

/** The race of `settings` (its lanes, corpus, steps, seed and batch), trained as the browser does. */
export async function recordRace(
  settings: Settings,
  texts: Record<Language, string>,
  tokenizer: BpeTokenizer,
  teacher: GPT,
): Promise<RecordedRace> {
  if (settings.corpus === "custom") throw new Error("a recorded race uses a bundled corpus");
  const { lanes, problems } = decodeLanes(settings.race);
  if (problems.length > 0 || lanes.length < 2)
    throw new Error(`the race "${settings.race}" is not a race: ${problems.join("; ")}`);
  const data = browserSplit(encodeCorpus(tokenizer, texts[settings.corpus]));
  const run = {
    steps: settings.steps,
    seed: settings.seed,
    batchSize: settings.batch,
    lanes: lanes.map(laneRequest),
  };
  const students = laneStudents(tokenizer.vocabSize, run);
  const seqLen = students.configs[0].seqLen;
  // As in the browser: one teacher cache for every distilling lane, when it fits.
  const teacherCache = TeacherCache.fits(data.train.length, teacher.config.dModel)
    ? new TeacherCache(teacher, data.train, seqLen)
    : undefined;
  const metrics: StepMetrics[][] = lanes.map(() => []);
  const bar = new Progress("race", run.steps * lanes.length);
  const started = performance.now();
  let done = 0;
  try {
    for await (const { lane, value } of trainLanes(students, data, { teacher, teacherCache })) {
      metrics[lane].push(value);
      bar.update(++done, `lane ${lane + 1} ce ${value.ce.toFixed(3)}`);
    }
  } finally {
    bar.stop();
    for (const student of students.students) student.dispose();
  }
  const labels = laneLabels(lanes);
  return {
    corpus: settings.corpus,
    race: settings.race,
    steps: run.steps,
    seed: run.seed,
    batchSize: run.batchSize,
    lanes: labels.map((label, i) => ({ label, metrics: metrics[i] })),
    seconds: (performance.now() - started) / 1000,
  };
}

/** The Forgetting tab's run with `settings` (steps a phase, seed), trained as the browser does. */
export async function recordForgetting(
  settings: Settings,
  texts: Record<Language, string>,
  tokenizer: BpeTokenizer,
  router: Router,
): Promise<RecordedLessons["forgetting"]> {
  const data = { train: {}, val: {} } as LanguageStreams;
  for (const lang of LANGUAGES) {
    const split = browserSplit(encodeCorpus(tokenizer, texts[lang]));
    data.train[lang] = split.train;
    data.val[lang] = split.val;
  }
  const experiment = forgettingLessonSettings(
    tokenizer.vocabSize,
    settings.forgetSteps,
    settings.seed,
  );
  const bar = new Progress("forgetting", forgettingSteps(experiment));
  let done = 0;
  try {
    const result = await forgetting(data, experiment, router, {
      progress: (label) => bar.update(++done, label),
    });
    return { stepsPerPhase: settings.forgetSteps, seed: settings.seed, result };
  } finally {
    bar.stop();
  }
}
