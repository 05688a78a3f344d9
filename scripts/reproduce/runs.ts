/** The experiments' inputs (token streams, the teacher) and their cache: a stopped run resumes, a report rebuilds. */
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeCorpus } from "../../src/ml/data";
import type { LanguageStreams } from "../../src/ml/experiments";
import { GPT } from "../../src/ml/gpt";
import { LANGUAGES } from "../../src/ml/languages";
import { train } from "../../src/ml/train";
import { loadModelDir, loadTokenizer, readText } from "../node-io";
import { CACHE, options, PRESET, quick, ROOT } from "./options";

/** Cached results shown although their settings differ (--report): named in the report. */
export const stale: string[] = [];

/**
 * A cached result for the same name and settings, else `fn`'s (then cached) when `run` is true,
 * else undefined (the report then says the experiment has not been run).
 */
export async function cached<T>(
  name: string,
  settings: unknown,
  run: boolean,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  const path = join(CACHE, `${name}.json`);
  const saved = existsSync(path)
    ? (JSON.parse(await readFile(path, "utf8")) as { settings: unknown; result: T })
    : undefined;
  if (saved && JSON.stringify(saved.settings) === JSON.stringify(settings)) {
    process.stderr.write(`${name}: cached result\n`);
    return saved.result;
  }
  if (!run) {
    // A result of other settings (an earlier teacher) is shown only when asked for, and marked.
    if (!options.report || !saved) return undefined;
    stale.push(name);
    return saved.result;
  }
  const result = await fn();
  await mkdir(CACHE, { recursive: true });
  await writeFile(path, `${JSON.stringify({ settings, result })}\n`);
  return result;
}

export async function streams(): Promise<LanguageStreams> {
  const tokenizer = await loadTokenizer(join(ROOT, "public/models/tokenizer.json"));
  const data = { train: {}, val: {} } as LanguageStreams;
  for (const lang of LANGUAGES) {
    const full = join(ROOT, "data/corpora", lang, "train.txt");
    const trainPath =
      !quick && existsSync(full) ? full : join(ROOT, "public/corpora", `${lang}.txt`);
    data.train[lang] = encodeCorpus(tokenizer, await readText(trainPath));
    data.val[lang] = encodeCorpus(tokenizer, await readText(join(ROOT, "data/val", `${lang}.txt`)));
  }
  return data;
}

export async function teacherModel(data: LanguageStreams): Promise<GPT> {
  if (!quick) return loadModelDir(join(ROOT, "public/models/teacher"));
  const { config, train: settings } = PRESET.quickTeacher;
  const teacher = GPT.create(config, 1);
  for await (const _ of train(teacher, { train: LANGUAGES.map((l) => data.train[l]) }, settings)) {
  }
  return teacher;
}
