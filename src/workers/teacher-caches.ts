/**
 * The training worker's teacher caches (src/ml/teacher-cache.ts), one per teacher, text and window
 * length: kept in memory for this visit and in IndexedDB for later ones, so the
 * teacher runs on each window of a text once, whatever the runs and race lanes that train on it.
 */
import { get, set } from "idb-keyval";
import type { GPT } from "../ml/gpt";
import { TeacherCache } from "../ml/teacher-cache";
import { threadedTeacher } from "./teacher-states";

const inMemory = new Map<string, TeacherCache>();
/** Caches kept in memory at once (the newest). */
const KEEP = 4;

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The cache for this teacher (`teacherId`: its files' checksums) and stream, or null when it would
 * be larger than MAX_TEACHER_CACHE_BYTES (the teacher then runs on every step).
 */
export async function teacherCacheFor(
  teacher: GPT,
  teacherId: string,
  stream: Int32Array,
  seqLen: number,
): Promise<{ cache: TeacherCache; key: string } | null> {
  if (!TeacherCache.fits(stream.length, teacher.config.dModel)) return null;
  const text = await sha256(new Uint8Array(stream.buffer, stream.byteOffset, stream.byteLength));
  const key = `mome-teacher-cache:${teacherId}:${text}:${seqLen}`;
  let cache = inMemory.get(key);
  if (!cache || cache.teacher !== teacher) {
    cache = new TeacherCache(teacher, stream, seqLen, threadedTeacher(teacher));
    try {
      const saved = await get<Uint8Array>(key);
      if (saved) cache.loadBytes(saved, key);
    } catch {
      // No IndexedDB (some private windows): the cache lives for this visit only.
    }
  }
  // The stream the cache holds must be the very array training reads.
  if (cache.stream !== stream) {
    const moved = new TeacherCache(teacher, stream, seqLen, threadedTeacher(teacher));
    moved.loadBytes(cache.toBytes(key), key);
    cache = moved;
  }
  inMemory.delete(key);
  inMemory.set(key, cache);
  while (inMemory.size > KEEP) inMemory.delete(inMemory.keys().next().value as string);
  return { cache, key };
}

/** Saves the cache in IndexedDB for later visits; a full quota only costs the next visit time. */
export async function keepTeacherCache(cache: TeacherCache, key: string): Promise<void> {
  try {
    await set(key, cache.toBytes(key));
  } catch (e) {
    console.warn(`the teacher cache was not saved for later visits: ${(e as Error).message}`);
  }
}
