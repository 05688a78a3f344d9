/** Debian packages as text sources: download and unpack once, list files, mix and cut documents. */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DOCUMENT_SEPARATOR } from "../src/ml/data";

export const ROOT = join(import.meta.dirname, "..");
export const BUILD = join(ROOT, "data", "build");

function run(cmd: string, args: string[], cwd: string): void {
  execFileSync(cmd, args, { cwd, stdio: ["ignore", "ignore", "inherit"] });
}

/** Downloads and unpacks a package once; returns its folder. */
export function unpack(pkg: string): string {
  const debs = join(BUILD, "debs");
  const target = join(BUILD, "x", pkg);
  if (existsSync(join(target, ".done"))) return target;
  execFileSync("mkdir", ["-p", debs, target]);
  if (!readdirSync(debs).some((f) => f.startsWith(`${pkg}_`)))
    run("apt-get", ["download", pkg], debs);
  const deb = readdirSync(debs).find((f) => f.startsWith(`${pkg}_`));
  if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
  run("dpkg", ["-x", join(debs, deb), target], debs);
  execFileSync("touch", [join(target, ".done")]);
  return target;
}

export function packageVersion(pkg: string): string {
  const deb = readdirSync(join(BUILD, "debs")).find((f) => f.startsWith(`${pkg}_`)) ?? "";
  return decodeURIComponent(deb.split("_")[1] ?? "?");
}

export function listFiles(dir: string, match: RegExp): string[] {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist (package layout changed?)`);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) continue;
      if (stat.isDirectory()) walk(path);
      else if (match.test(name) || match.test(path)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

export const hashOf = (s: string) => createHash("sha256").update(s).digest();

/** Documents in a stable shuffled order (by hash), so every slice mixes all sources. */
export const mixed = (docs: string[]) =>
  docs
    .map((d) => ({ d, h: hashOf(`order:${d}`).readUInt32BE(0) }))
    .sort((a, b) => a.h - b.h)
    .map((x) => x.d);

/** The first documents of `docs` up to `bytes` in total. */
export function take(docs: string[], bytes: number): string[] {
  const out: string[] = [];
  let size = 0;
  for (const d of docs) {
    const b = Buffer.byteLength(d) + 3;
    if (size + b > bytes) break;
    out.push(d);
    size += b;
  }
  return out;
}

export const joinDocs = (docs: string[]) => `${docs.join(`\n${DOCUMENT_SEPARATOR}\n`)}\n`;
