/** Student zips: checksums checked, files found in one sub-folder, no checksums loads with a warning. */
import { describe, expect, it } from "vitest";
import { studentZipFiles } from "../src/app/student-zip";
import { sha256Hex } from "../src/ml/sha256";

const bytes = (s: string) => new TextEncoder().encode(s);

async function zipWithSums(files: Record<string, Uint8Array>, prefix = "") {
  const sums: Record<string, string> = {};
  for (const [name, b] of Object.entries(files)) sums[name] = await sha256Hex(b);
  const entries: Record<string, Uint8Array> = {};
  for (const [name, b] of Object.entries(files)) entries[prefix + name] = b;
  entries[`${prefix}sha256.json`] = bytes(JSON.stringify(sums));
  return entries;
}

describe("student zips", () => {
  const model = {
    "model.json": bytes('{"format":"mome-gpt"}'),
    "group1-shard1of1.bin": bytes("weights"),
  };

  it("checks every file against sha256.json and names a damaged one", async () => {
    const entries = await zipWithSums(model);
    const { files, checked } = await studentZipFiles(entries);
    expect(checked).toBe(true);
    expect(files.map((f) => f.name).sort()).toEqual(["group1-shard1of1.bin", "model.json"]);
    entries["group1-shard1of1.bin"] = bytes("weighTs"); // one flipped byte
    await expect(studentZipFiles(entries)).rejects.toThrow(
      "group1-shard1of1.bin does not match its sha256 in sha256.json: the zip is damaged",
    );
    const missing = await zipWithSums(model);
    delete missing["group1-shard1of1.bin"];
    await expect(studentZipFiles(missing)).rejects.toThrow(
      "group1-shard1of1.bin is missing from the zip",
    );
  });

  it("finds the files in the one folder a 'compress folder' puts them in, ignoring its clutter", async () => {
    const entries = {
      ...(await zipWithSums(model, "my-student/")),
      "my-student/": new Uint8Array(),
      "__MACOSX/my-student/._model.json": bytes("resource fork"),
    };
    const { files, checked } = await studentZipFiles(entries);
    expect(checked).toBe(true);
    expect(files.map((f) => f.name).sort()).toEqual(["group1-shard1of1.bin", "model.json"]);
  });

  it("loads a zip without checksums unchecked (the caller warns), and refuses one without a model", async () => {
    expect((await studentZipFiles({ ...model })).checked).toBe(false);
    await expect(studentZipFiles({ "notes.txt": bytes("hi") })).rejects.toThrow(
      /neither model\.json nor config\.json/,
    );
  });
});
