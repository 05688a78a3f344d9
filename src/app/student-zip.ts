/**
 * Student zips: what "Download student" writes (model.json + weight shards, the tfjs weights
 * format, and every file's sha256) and what loading one accepts.
 */
import { unzipSync, zipSync } from "fflate";
import { sha256Hex } from "../ml/sha256";
import { translate } from "./i18n";

/** A student zip larger than this is refused before it is read. */
const MAX_STUDENT_ZIP_BYTES = 64 * 2 ** 20;

/** The file of a student zip that lists every other file's sha256. */
export const CHECKSUMS = "sha256.json";

/**
 * A student zip's model files (ours, or a Hugging Face folder's): at its root, or in the one folder
 * an operating system's "compress folder" puts them in (its own clutter, such as __MACOSX/, ignored); each file checked against
 * sha256.json when the zip has one (`checked` says whether it had).
 */
export async function studentZipFiles(
  entries: Record<string, Uint8Array>,
): Promise<{ files: { name: string; bytes: Uint8Array }[]; checked: boolean }> {
  const names = Object.keys(entries).filter((n) => !n.endsWith("/") && !n.startsWith("__MACOSX/"));
  // A student saved here (model.json), else a Hugging Face folder (config.json): at the root or in one folder.
  const indexOf = (file: string) =>
    names.find((n) => n === file) ??
    names.find((n) => n.split("/").length === 2 && n.endsWith(`/${file}`));
  const index = indexOf("model.json") ?? indexOf("config.json");
  if (!index) throw new Error(translate("zip.noModel"));
  const folder = index.slice(0, index.lastIndexOf("/") + 1);
  const files = names
    .filter((n) => n.startsWith(folder) && !n.slice(folder.length).includes("/"))
    .map((n) => ({ name: n.slice(folder.length), bytes: entries[n] }));
  const sums = files.find((f) => f.name === CHECKSUMS);
  if (!sums) return { files, checked: false };
  let listed: Record<string, string>;
  try {
    listed = JSON.parse(new TextDecoder().decode(sums.bytes));
  } catch {
    throw new Error(translate("zip.badSums", { file: CHECKSUMS }));
  }
  const modelFiles = files.filter((f) => f.name !== CHECKSUMS);
  for (const f of modelFiles) {
    if (!(f.name in listed))
      throw new Error(translate("zip.notListed", { name: f.name, file: CHECKSUMS }));
    if ((await sha256Hex(f.bytes)) !== listed[f.name])
      throw new Error(translate("zip.mismatch", { name: f.name, file: CHECKSUMS }));
  }
  for (const name of Object.keys(listed))
    if (!modelFiles.some((f) => f.name === name))
      throw new Error(translate("zip.missing", { name }));
  return { files: modelFiles, checked: true };
}

/** Refuses a file too large to be a student zip (before it is read, where the size is known). */
export function checkStudentZipSize(bytes: number): void {
  if (bytes > MAX_STUDENT_ZIP_BYTES)
    throw new Error(
      translate("zip.tooBig", {
        size: (bytes / 2 ** 20).toFixed(1),
        most: MAX_STUDENT_ZIP_BYTES / 2 ** 20,
      }),
    );
}

/** One zip of a student's files with their checksums (not one download per file). */
export async function studentZip(
  files: { name: string; bytes: Uint8Array }[],
): Promise<Uint8Array> {
  const sums: Record<string, string> = {};
  for (const f of files) sums[f.name] = await sha256Hex(f.bytes);
  return zipSync({
    ...Object.fromEntries(files.map((f) => [f.name, f.bytes])),
    [CHECKSUMS]: new TextEncoder().encode(`${JSON.stringify(sums, null, 1)}\n`),
  });
}

/** A student zip's checked model files, or an error that says what is wrong with the file. */
export async function readStudentZip(
  zip: Uint8Array,
): Promise<{ files: { name: string; bytes: Uint8Array }[]; checked: boolean }> {
  checkStudentZipSize(zip.byteLength);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    throw new Error(translate("zip.notZip"));
  }
  return studentZipFiles(entries);
}

/** A chosen zip file's model files (its size checked before it is read). */
export async function readStudentZipFile(
  file: File,
): Promise<{ files: { name: string; bytes: Uint8Array }[]; checked: boolean }> {
  checkStudentZipSize(file.size);
  return readStudentZip(new Uint8Array(await file.arrayBuffer()));
}
