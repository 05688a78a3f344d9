/**
 * `public/models/manifest.json`: every shipped artifact (tokenizer, GPT, router) with the sha256 and
 * byte size of each of its files, its config, training settings and metrics. Validated with a JSON
 * schema on the way in; every file read through `verifiedReader` is checked against it.
 */

import Ajv from "ajv";
import { CancelledError, fetchBytes } from "./fetch";
import { ProblemError } from "./problems";
import { sha256Hex } from "./sha256";

export type ArtifactKind = "tokenizer" | "gpt" | "router";

export interface ArtifactFile {
  path: string; // relative to the manifest's folder, "/"-separated
  sha256: string;
  bytes: number;
}

export interface Artifact {
  name: string;
  kind: ArtifactKind;
  files: ArtifactFile[];
  config?: Record<string, unknown>;
  training?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
}

export interface ModelManifest {
  format: "mome-manifest";
  version: 1;
  artifacts: Artifact[];
}

export const MANIFEST_SCHEMA = {
  type: "object",
  required: ["format", "version", "artifacts"],
  additionalProperties: false,
  properties: {
    format: { const: "mome-manifest" },
    version: { const: 1 },
    artifacts: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "kind", "files"],
        additionalProperties: false,
        properties: {
          name: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]*$" },
          kind: { enum: ["tokenizer", "gpt", "router"] },
          files: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              required: ["path", "sha256", "bytes"],
              additionalProperties: false,
              properties: {
                // Relative, no "..", no leading "/": a manifest cannot point outside its folder.
                path: {
                  type: "string",
                  pattern: "^(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$",
                },
                sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
                bytes: { type: "integer", minimum: 0 },
              },
            },
          },
          config: { type: "object" },
          training: { type: "object" },
          metrics: { type: "object" },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true }).compile(MANIFEST_SCHEMA);

export function parseManifest(json: unknown): ModelManifest {
  if (!validate(json)) {
    const problems = (validate.errors ?? [])
      .map((e) => `${e.instancePath || "/"} ${e.message}`)
      .join("; ");
    throw new ProblemError("manifestInvalid", {}, `manifest.json is invalid: ${problems}`);
  }
  const manifest = json as ModelManifest;
  const names = new Set<string>();
  for (const a of manifest.artifacts) {
    if (names.has(a.name))
      throw new Error(`manifest.json is invalid: artifact ${a.name} is listed twice`);
    names.add(a.name);
  }
  return manifest;
}

export function emptyManifest(): ModelManifest {
  return { format: "mome-manifest", version: 1, artifacts: [] };
}

export function findArtifact(manifest: ModelManifest, name: string, kind?: ArtifactKind): Artifact {
  const artifact = manifest.artifacts.find((a) => a.name === name);
  if (!artifact) throw new Error(`manifest.json has no artifact named ${name}`);
  if (kind && artifact.kind !== kind)
    throw new Error(`artifact ${name} is a ${artifact.kind}, not a ${kind}`);
  return artifact;
}

/** Adds or replaces an artifact (by name), keeping the list sorted by name. */
export function withArtifact(manifest: ModelManifest, artifact: Artifact): ModelManifest {
  const artifacts = manifest.artifacts.filter((a) => a.name !== artifact.name).concat(artifact);
  artifacts.sort((a, b) => a.name.localeCompare(b.name));
  return parseManifest({ ...manifest, artifacts });
}

export { sha256Hex };

export async function describeFile(path: string, bytes: Uint8Array): Promise<ArtifactFile> {
  return { path, sha256: await sha256Hex(bytes), bytes: bytes.length };
}

/** Reads raw bytes of a path relative to the models folder (fs in Node, fetch in the browser). */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/**
 * A reader for one artifact's files that refuses any file whose size or sha256 differs from the
 * manifest. With `reread` (e.g. a fetch that bypasses caches), a mismatching file is read once
 * more that way before giving up: a stale cached copy of an updated model then heals itself.
 */
export function verifiedReader(read: ReadFile, artifact: Artifact, reread?: ReadFile): ReadFile {
  const check = async (
    path: string,
    entry: ArtifactFile,
    bytes: Uint8Array,
  ): Promise<ProblemError | null> => {
    const damaged = (why: string) =>
      new ProblemError("checksum", { file: path, list: "manifest.json" }, `${path}: ${why}`);
    if (bytes.length !== entry.bytes)
      return damaged(`${bytes.length} bytes, but manifest.json says ${entry.bytes}`);
    const hash = await sha256Hex(bytes);
    return hash === entry.sha256
      ? null
      : damaged(`sha256 ${hash} does not match manifest.json (${entry.sha256})`);
  };
  return async (path) => {
    const entry = artifact.files.find((f) => f.path === path);
    if (!entry)
      throw new Error(`${path} is not a file of artifact ${artifact.name} in manifest.json`);
    let bytes = await read(path);
    let problem = await check(path, entry, bytes);
    if (problem && reread) {
      bytes = await reread(path);
      problem = await check(path, entry, bytes);
    }
    if (problem) throw problem;
    return bytes;
  };
}

/**
 * Browser/worker reader: files under `baseUrl` (which ends with "/"); `reload` bypasses caches.
 * Transient failures are retried and a stalled download ends with an error (fetch.ts); `signal`
 * cancels.
 */
export function fetchReader(
  baseUrl: string,
  cache: RequestInit["cache"] = "default",
  signal?: AbortSignal,
): ReadFile {
  return async (path) => {
    try {
      return await fetchBytes(new URL(path, baseUrl).href, { cache, signal });
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      if (e instanceof ProblemError) throw e.at(path);
      throw new Error(`${path}: ${(e as Error).message}`);
    }
  };
}
