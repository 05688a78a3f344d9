import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModelDir, outputFolderProblem, saveModelDir, saveOrKeep } from "../scripts/node-io";
import { PROBE_MODEL } from "../scripts/reliability/harness";
import { GPT } from "../src/ml/gpt";
import { useBackend } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "mome-save-"));
const at = (name: string) => join(dir, name);

/**
 * Runs scripts/save-killed.ts: model 1 saved in `folder`, then model 2's save killed right after
 * its `killAfter`-th file write or rename. Returns what the child printed.
 */
function killMidSave(folder: string, killAfter: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Node itself, not the tsx launcher, so that the kill ends the process that writes.
    const child = spawn(process.execPath, [
      "--import",
      "tsx",
      "scripts/save-killed.ts",
      folder,
      String(killAfter),
    ]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      signal === "SIGKILL" || code === 0 ? resolve(stdout) : reject(new Error(stderr.slice(-600))),
    );
  });
}

describe("saving a model", { timeout: 120_000 }, () => {
  const references: Float32Array[] = [];
  beforeAll(async () => {
    await useBackend("wasm");
    for (const seed of [1, 2]) {
      const model = GPT.create(PROBE_MODEL, seed);
      references.push(model.params.get("wte")?.dataSync() as Float32Array);
      model.dispose();
    }
  });

  it("leaves the old model or the new one when the process is killed mid-save, never a mix", async () => {
    // The save writes a shard and model.json into model.next, then renames twice: kill after each
    // (the children run side by side), and once not at all.
    const expected = ["old", "old", "new", "new", "new"];
    const printed = await Promise.all(
      expected.map((_, k) => killMidSave(at(`killed-after-${k + 1}`), k + 1)),
    );
    for (const [k, which] of expected.entries()) {
      expect(printed[k]).toBe(k + 1 === expected.length ? "saved\n" : "");
      const loaded = await loadModelDir(at(`killed-after-${k + 1}`));
      const wte = loaded.params.get("wte")?.dataSync() as Float32Array;
      loaded.dispose();
      expect(wte).toEqual(references[which === "old" ? 0 : 1]);
    }
    // The next save cleans up what a killed one left beside the folder.
    const folder = at("killed-after-3");
    const model = GPT.create(PROBE_MODEL, 1);
    await saveModelDir(model, folder);
    model.dispose();
    expect(existsSync(`${folder}.next`) || existsSync(`${folder}.old`)).toBe(false);
  });

  it("keeps a model it can't save in a fallback folder and names it", async () => {
    writeFileSync(at("a-file"), "not a folder");
    const model = GPT.create(PROBE_MODEL, 1);
    const error = await saveOrKeep(model, join(at("a-file"), "model")).catch((e: Error) => e);
    model.dispose();
    expect(error).toBeInstanceOf(Error);
    const fallback = (error as Error).message.match(/the trained model is kept in (\S+)$/)?.[1];
    expect(fallback).toBeDefined();
    const kept = await loadModelDir(fallback as string);
    expect(kept.params.get("wte")?.dataSync()).toEqual(references[0]);
    kept.dispose();
  });

  it("refuses an output folder that holds other files, which a save would replace", async () => {
    const folder = at("shared");
    const model = GPT.create(PROBE_MODEL, 1);
    await saveModelDir(model, folder);
    model.dispose();
    expect(await outputFolderProblem(folder)).toBeNull(); // a model's own folder
    writeFileSync(join(folder, "tokenizer.json"), "{}");
    expect(await outputFolderProblem(folder)).toMatch(
      /holds files that are not a model's \(tokenizer\.json\)/,
    );
  });
});
