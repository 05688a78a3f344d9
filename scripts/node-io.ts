/** File-system helpers for the CLI: read models, write artifacts, register them in a manifest. */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { HfTokenizerJson } from "../src/ml/bpe-trainer";
import { type CheckpointStore, loadCheckpoint, serializeCheckpoint } from "../src/ml/checkpoint";
import { gptFromHuggingFace } from "../src/ml/export/hf-import";
import type { GPT } from "../src/ml/gpt";
import {
  type Artifact,
  describeFile,
  emptyManifest,
  parseManifest,
  type ReadFile,
  withArtifact,
} from "../src/ml/manifest";
import { TeacherCache } from "../src/ml/teacher-cache";
import { BpeTokenizer } from "../src/ml/tokenizer";
import type { TrainState } from "../src/ml/train";
import { loadGpt, serializeGpt, type WeightStorage } from "../src/ml/weights";

/** Reads paths relative to `root`. */
export function fileReader(root: string): ReadFile {
  return async (path) => new Uint8Array(await readFile(join(root, path)));
}

export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new Error(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

export async function readJson(path: string): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

export async function loadTokenizer(path: string): Promise<BpeTokenizer> {
  const json = (await readJson(path)) as HfTokenizerJson;
  try {
    return new BpeTokenizer(json);
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  }
}

/**
 * The model saved in `dir` (or in a complete `dir.next`, left by a save stopped mid-swap), or a
 * GPT-2-format folder (config.json + model.safetensors), which must use the vocabulary of
 * `tokenizerFile` (our tokenizer.json).
 */
export async function loadModelDir(dir: string, tokenizerFile?: string): Promise<GPT> {
  for (const candidate of [dir, `${dir}.next`]) {
    if (existsSync(join(candidate, "model.json"))) return loadGpt(fileReader(candidate));
  }
  if (existsSync(join(dir, "config.json")) && existsSync(join(dir, "model.safetensors"))) {
    if (!tokenizerFile) throw new Error(`${dir} is a Hugging Face folder: give --tokenizer`);
    const read = async (name: string) => new Uint8Array(await readFile(join(dir, name)));
    try {
      return gptFromHuggingFace(
        {
          "config.json": await read("config.json"),
          "model.safetensors": await read("model.safetensors"),
          "tokenizer.json": existsSync(join(dir, "tokenizer.json"))
            ? await read("tokenizer.json")
            : undefined,
        },
        await readJson(tokenizerFile),
      );
    } catch (e) {
      throw new Error(`${dir}: ${(e as Error).message}`);
    }
  }
  throw new Error(`${dir} has no model.json (nor config.json and model.safetensors)`);
}

/**
 * Writes `files` as the whole content of `dir`, keeping the entries named in `keep`: into
 * `dir.next` first (kept entries are moved over by rename), then swapped in by two renames
 * (`dir` → `dir.old`, `dir.next` → `dir`). A save stopped at any point leaves the old folder or
 * the new one (or a complete `dir.next` when `dir` is gone, which the loaders take), never a mix.
 * Files are written in map order: the index file (model.json) comes last.
 */
export async function writeFolderWhole(
  dir: string,
  files: Map<string, Uint8Array>,
  keep: string[] = [],
): Promise<void> {
  const next = `${dir}.next`;
  const old = `${dir}.old`;
  await rm(next, { recursive: true, force: true });
  await rm(old, { recursive: true, force: true });
  await mkdir(next, { recursive: true });
  for (const [name, bytes] of files) await writeFile(join(next, name), bytes);
  for (const name of keep) {
    if (existsSync(join(dir, name))) await rename(join(dir, name), join(next, name));
  }
  if (existsSync(dir)) await rename(dir, old);
  await rename(next, dir);
  await rm(old, { recursive: true, force: true });
}

/**
 * Saves the model as the whole content of `dir` (see `writeFolderWhole`), keeping the checkpoint
 * the CLI's run keeps there; returns the model's file paths.
 */
export async function saveModelDir(
  model: GPT,
  dir: string,
  storage: WeightStorage = "float32",
): Promise<string[]> {
  const files = await serializeGpt(model, "", storage);
  await writeFolderWhole(dir, files, ["checkpoint"]);
  return [...files.keys()].map((name) => join(dir, name));
}

/** What a model folder may hold: a model's files and the checkpoints of the run that writes it. */
function belongsToModelFolder(name: string): boolean {
  return /^(model\.json|group\d+-shard\d+of\d+\.bin|checkpoint(\.next|\.old)?)$/.test(name);
}

/**
 * Why `dir` can't take a saved model, found before any training: it is a file, it lies under a
 * file, it holds files other than a model's, or a file can't be written in it (tried: permissions alone say little to root, or in
 * /proc). Null when it can; the folder then exists.
 */
export async function outputFolderProblem(dir: string): Promise<string | null> {
  let above = resolve(dir);
  if (existsSync(above) && !(await stat(above)).isDirectory())
    return `--out ${dir} is a file, not a folder`;
  if (existsSync(above)) {
    const others = (await readdir(above)).filter((name) => !belongsToModelFolder(name));
    if (others.length > 0)
      return `--out ${dir} holds files that are not a model's (${others.slice(0, 3).join(", ")}${others.length > 3 ? ", …" : ""}); a saved model replaces the whole folder, so choose an empty folder or a model's own`;
  }
  const missing: string[] = [];
  while (!existsSync(above)) {
    missing.unshift(above);
    above = dirname(above);
  }
  if (!(await stat(above)).isDirectory()) return `--out ${dir} lies under the file ${above}`;
  // The save writes `dir.next` beside `dir`, then renames: that is where writing must work.
  const probe = join(dirname(resolve(dir)), `.mome-write-test-${process.pid}`);
  try {
    // One level at a time: a recursive mkdir under /proc never returns (Node 20).
    for (const folder of missing) await mkdir(folder);
    await writeFile(probe, "");
    await rm(probe);
  } catch (e) {
    return `--out ${dir} can't be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
  }
  return null;
}

/**
 * Saves a trained model to `dir`; if that fails after all (the disk filled, the folder went away),
 * keeps it in a fallback folder and says where, so the run is not lost.
 */
export async function saveOrKeep(model: GPT, dir: string): Promise<string[]> {
  try {
    return await saveModelDir(model, dir);
  } catch (e) {
    const fallback = join(tmpdir(), `mome-unsaved-${Date.now()}`);
    await saveModelDir(model, fallback);
    throw new Error(
      `could not save to ${dir} (${(e as Error).message}); the trained model is kept in ${fallback}`,
    );
  }
}

export async function writeFileMakingDirs(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

/** Adds (or replaces) an artifact in the manifest at `manifestPath`, hashing each file. */
export async function registerArtifact(
  manifestPath: string,
  artifact: Omit<Artifact, "files">,
  filePaths: string[],
): Promise<void> {
  const root = dirname(manifestPath);
  const manifest = existsSync(manifestPath)
    ? parseManifest(await readJson(manifestPath))
    : emptyManifest();
  const files = [];
  for (const path of filePaths) {
    const rel = relative(root, path).split(sep).join("/");
    if (rel.startsWith("..")) throw new Error(`${path} is outside the manifest's folder ${root}`);
    files.push(await describeFile(rel, new Uint8Array(await readFile(path))));
  }
  const next = withArtifact(manifest, { ...artifact, files });
  await writeFileMakingDirs(manifestPath, `${JSON.stringify(next, null, 2)}\n`);
}

/**
 * Writes a training checkpoint to `dir` so that a kill at any moment leaves a complete one: the new
 * files go to `dir.next`, which then replaces `dir` (and is picked up by `loadCheckpointDir` if the
 * process dies between the two steps).
 */
export async function saveCheckpointDir(
  dir: string,
  model: GPT,
  state: TrainState,
  meta: Record<string, unknown>,
): Promise<void> {
  await writeFolderWhole(dir, await serializeCheckpoint(model, state, meta));
}

/** A checkpoint store in a folder (written whole, then swapped in). */
export function checkpointFolder(dir: string): CheckpointStore {
  return {
    where: dir,
    load: () => loadCheckpointDir(dir),
    save: (model, state, meta) => saveCheckpointDir(dir, model, state, meta),
  };
}

/** The checkpoint in `dir` (or a complete `dir.next`), or null if there is none. */
export async function loadCheckpointDir(
  dir: string,
): Promise<Awaited<ReturnType<typeof loadCheckpoint>> | null> {
  for (const candidate of [dir, `${dir}.next`]) {
    if (existsSync(join(candidate, "checkpoint.json")))
      return loadCheckpoint(fileReader(candidate));
  }
  return null;
}

/**
 * The largest teacher cache kept on disk: one buffer holds it (Node's buffers stop at 4 GiB), and a
 * larger one (the common expert's four corpora) is quicker to recompute than to read.
 */
export const MAX_TEACHER_CACHE_BYTES = 2 ** 31;

/**
 * A teacher cache for `stream`, restored from `file` when that holds one for the same teacher files,
 * stream and window length; `save()` writes it back (whole, then renamed into place), or says why
 * not when it is over `maxBytes`.
 */
export async function teacherCacheFile(
  teacher: GPT,
  teacherDir: string,
  stream: Int32Array,
  o: { seqLen: number; file?: string; maxBytes?: number },
): Promise<{ cache: TeacherCache; restored: number; save(): Promise<void> }> {
  const hash = createHash("sha256");
  // The folder's own files (a Hugging Face folder's onnx/ is another form of the same weights).
  const files = (await readdir(teacherDir, { withFileTypes: true })).filter((e) => e.isFile());
  for (const name of files.map((e) => e.name).sort())
    hash.update(name).update(await readFile(join(teacherDir, name)));
  hash.update(new Uint8Array(stream.buffer, stream.byteOffset, stream.byteLength));
  const key = hash.digest("hex");
  const cache = new TeacherCache(teacher, stream, o.seqLen);
  let restored = 0;
  if (o.file && existsSync(o.file) && cache.loadBytes(new Uint8Array(await readFile(o.file)), key))
    restored = cache.filledWindows;
  return {
    cache,
    restored,
    async save() {
      if (!o.file) return;
      const bytes = cache.byteLength(key);
      if (bytes > (o.maxBytes ?? MAX_TEACHER_CACHE_BYTES)) {
        process.stderr.write(
          `teacher cache not kept: ${(bytes / 2 ** 30).toFixed(1)} GiB is over ${((o.maxBytes ?? MAX_TEACHER_CACHE_BYTES) / 2 ** 30).toFixed(1)} GiB (a re-run recomputes it)\n`,
        );
        return;
      }
      await mkdir(dirname(o.file), { recursive: true });
      await writeFile(`${o.file}.next`, cache.toBytes(key));
      await rename(`${o.file}.next`, o.file);
    },
  };
}
