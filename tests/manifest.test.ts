import { beforeAll, describe, expect, it } from "vitest";
import { GPT } from "../src/ml/gpt";
import {
  describeFile,
  emptyManifest,
  findArtifact,
  parseManifest,
  sha256Hex,
  verifiedReader,
  withArtifact,
} from "../src/ml/manifest";
import { loadGpt, serializeGpt } from "../src/ml/weights";
import { TINY, useBackend } from "./helpers";

describe("manifest", () => {
  beforeAll(() => useBackend("cpu"));

  it("hashes with sha256", async () => {
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("rejects invalid manifests with the failing field", () => {
    expect(() => parseManifest({ format: "mome-manifest", version: 1 })).toThrow(/artifacts/);
    const file = { path: "../etc/passwd", sha256: "0".repeat(64), bytes: 1 };
    const bad = {
      format: "mome-manifest",
      version: 1,
      artifacts: [{ name: "x", kind: "gpt", files: [file] }],
    };
    expect(() => parseManifest(bad)).toThrow(/\/artifacts\/0\/files\/0\/path/);
    const twice = {
      ...bad,
      artifacts: [0, 1].map(() => ({
        name: "x",
        kind: "gpt",
        files: [{ ...file, path: "a.bin" }],
      })),
    };
    expect(() => parseManifest(twice)).toThrow(/listed twice/);
  });

  it("loads a model through verified reads, and names a tampered file", async () => {
    const model = GPT.create(TINY, 3);
    const files = await serializeGpt(model, "student/");
    const manifest = withArtifact(emptyManifest(), {
      name: "student",
      kind: "gpt",
      files: await Promise.all([...files].map(([p, b]) => describeFile(p, b))),
      config: { ...model.config },
    });
    const artifact = findArtifact(
      parseManifest(JSON.parse(JSON.stringify(manifest))),
      "student",
      "gpt",
    );
    const read = async (p: string) => files.get(p) as Uint8Array;
    const loaded = await loadGpt(verifiedReader(read, artifact), "student/");
    expect(loaded.parameterCount()).toEqual(model.parameterCount());

    const shard = "student/group1-shard1of1.bin";
    const tampered = (files.get(shard) as Uint8Array).slice();
    tampered[10] ^= 1;
    files.set(shard, tampered);
    await expect(loadGpt(verifiedReader(read, artifact), "student/")).rejects.toThrow(
      /student\/group1-shard1of1.bin: sha256 [0-9a-f]{64} does not match manifest.json/,
    );
    files.set(shard, tampered.slice(1));
    await expect(loadGpt(verifiedReader(read, artifact), "student/")).rejects.toThrow(
      /shard1of1.bin: \d+ bytes, but manifest.json says/,
    );
    expect(() => findArtifact(manifest, "teacher")).toThrow(/no artifact named teacher/);
    expect(() => findArtifact(manifest, "student", "router")).toThrow(/is a gpt, not a router/);
    model.dispose();
    loaded.dispose();
  });
});

describe("verified reads with a second chance", () => {
  it("re-reads a mismatching file once through the fallback reader, and reports it if still wrong", async () => {
    const good = new TextEncoder().encode("fresh");
    const artifact = {
      name: "a",
      kind: "router" as const,
      files: [await describeFile("a.json", good)],
    };
    const stale = async () => new TextEncoder().encode("stale");
    let rereads = 0;
    const reread = async () => {
      rereads++;
      return good;
    };
    expect(await verifiedReader(stale, artifact, reread)("a.json")).toEqual(good);
    expect(rereads).toBe(1);
    await expect(verifiedReader(stale, artifact, stale)("a.json")).rejects.toThrow(
      /a.json: 5 bytes|a.json: sha256/,
    );
  });
});
