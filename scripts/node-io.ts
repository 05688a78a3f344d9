/** File-system helpers for the CLI: read models, write artifacts, register them in a manifest. */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { HfTokenizerJson } from "../src/ml/bpe-trainer";
import { type CheckpointStore, loadCheckpoint, serializeCheckpoint } from "../src/ml/checkpoint";
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
import { loadGpt, serializeGpt } from "../src/ml/weights";

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

export async function loadModelDir(dir: string): Promise<GPT> {
  if (!existsSync(join(dir, "model.json"))) throw new Error(`${dir} has no model.json`);
  return loadGpt(fileReader(dir));
}

/**
 * Writes `files` as the whole content of `dir`: into `dir.next` first, then swapped in. A save
 * stopped at any point leaves the old folder or the new one (or a complete `dir.next`), never a mix.
 * (Checkpoints are saved so; the loader takes a complete `dir.next` when `dir` is gone.)
 */
export async function writeFolderWhole(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  const next = `${dir}.next`;
  await rm(next, { recursive: true, force: true });
  await mkdir(next, { recursive: true });
  for (const [name, bytes] of files) await writeFile(join(next, name), bytes);
  await rm(dir, { recursive: true, force: true });
  await rename(next, dir);
}

/** Writes the model's files into `dir`; returns their paths. */
export async function saveModelDir(model: GPT, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = await serializeGpt(model);
  for (const [name, bytes] of files) await writeFile(join(dir, name), bytes);
  return [...files.keys()].map((name) => join(dir, name));
}

/**
 * Why `dir` can't take a saved model, found before any training: it is a file, it lies under a
 * file, or a file can't be written in it (tried: permissions alone say little to root, or in
 * /proc). Null when it can; the folder then exists.
 */
export async function outputFolderProblem(dir: string): Promise<string | null> {
  let above = resolve(dir);
  if (existsSync(above) && !(await stat(above)).isDirectory())
    return `--out ${dir} is a file, not a folder`;
  const missing: string[] = [];
  while (!existsSync(above)) {
    missing.unshift(above);
    above = dirname(above);
  }
  if (!(await stat(above)).isDirectory()) return `--out ${dir} lies under the file ${above}`;
  const probe = join(dir, `.mome-write-test-${process.pid}`);
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
 * A teacher cache for `stream`, restored from `file` when that holds one for the same teacher files,
 * stream and window length; `save()` writes it back (whole, then renamed into place).
 */
export async function teacherCacheFile(
  teacher: GPT,
  teacherDir: string,
  stream: Int32Array,
  o: { seqLen: number; file?: string },
): Promise<{ cache: TeacherCache; restored: number; save(): Promise<void> }> {
  const hash = createHash("sha256");
  for (const name of (await readdir(teacherDir)).sort())
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
      await mkdir(dirname(o.file), { recursive: true });
      await writeFile(`${o.file}.next`, cache.toBytes(key));
      await rename(`${o.file}.next`, o.file);
    },
  };
}
