/**
 * Hugging Face downloads from the app, loaded by the real client: a student trained in the browser
 * saves as a Hugging Face zip that transformers.js (in Node) loads and continues as our own code
 * does; the zip loads back into Teacher vs student; About offers each shipped model the same way.
 */
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { AutoModelForCausalLM, AutoTokenizer, env } from "@huggingface/transformers";
import { unzipSync, zipSync } from "fflate";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { selectBackend } from "../src/ml/backend";
import { encodePrompt } from "../src/ml/data";
import { gptFromHuggingFace } from "../src/ml/export/hf-import";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { greedyIds } from "../tests/helpers";
import { openPage, useBrowser } from "./browser";

const PROMPT = "Pour insérer un tableau, ";
const NEW_TOKENS = 16;

/** Clicks `button` and returns the file it downloads: its name and its zip's entries. */
async function downloaded(page: Page, button: string) {
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 120_000 }),
    page.getByRole("button", { name: button }).click(),
  ]);
  return {
    name: download.suggestedFilename(),
    path: await download.path(),
    entries: unzipSync(await readFile(await download.path())),
  };
}

describe("Hugging Face downloads", () => {
  const browser = useBrowser();

  it("saves a student trained in the browser as a zip that transformers.js loads, and that loads back into Teacher vs student", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?panel=train&backend=wasm&distil=off&size=tiny&steps=12&batch=8`,
    );
    await page.getByRole("button", { name: "Start training" }).click();
    await page
      .getByRole("list", { name: "Training runs" })
      .filter({ hasText: "done" })
      .waitFor({ timeout: 240_000 });
    const zip = await downloaded(page, "Download for Hugging Face (.zip)");
    expect(zip.name).toBe("mome-lab-student.zip");
    for (const file of [
      "config.json",
      "model.safetensors",
      "tokenizer.json",
      "onnx/model.onnx",
      "README.md",
    ])
      expect(zip.entries[`mome-lab-student/${file}`]?.length, file).toBeGreaterThan(0);

    // transformers.js, local files only, against our own generate on the same weights.
    const root = await mkdtemp(join(tmpdir(), "mome-hf-e2e-"));
    for (const [path, bytes] of Object.entries(zip.entries)) {
      if (path.endsWith("/")) continue;
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), bytes);
    }
    env.allowRemoteModels = false;
    env.localModelPath = `${root}/`;
    const tokenizer = await AutoTokenizer.from_pretrained("mome-lab-student");
    const model = await AutoModelForCausalLM.from_pretrained("mome-lab-student", { dtype: "fp32" });
    const inputs = tokenizer(PROMPT);
    const theirs = (await model.generate({
      ...inputs,
      max_new_tokens: NEW_TOKENS,
      do_sample: false,
    })) as unknown as { tolist(): bigint[][] };
    await model.dispose();
    await selectBackend(["wasm"]);
    const ourTokenizerJson = JSON.parse(await readFile("public/models/tokenizer.json", "utf8"));
    const ours = gptFromHuggingFace(
      {
        "config.json": zip.entries["mome-lab-student/config.json"],
        "model.safetensors": zip.entries["mome-lab-student/model.safetensors"],
      },
      ourTokenizerJson,
    );
    const prompt = encodePrompt(new BpeTokenizer(ourTokenizerJson), PROMPT, true);
    const expected = [...prompt, ...(await greedyIds(ours, prompt, NEW_TOKENS))];
    ours.dispose();
    expect(theirs.tolist()[0].map(Number)).toEqual(expected);

    // The same zip loads as the student of Teacher vs student.
    await page.getByRole("tab", { name: "Teacher vs student" }).click();
    await page
      .getByText("More settings")
      .click()
      .catch(() => undefined);
    await page.getByLabel("Load a downloaded student (.zip)").setInputFiles(zip.path);
    await page.getByText(/^Your student: 0\.\d\d M parameters/).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("offers each shipped model from About as a Hugging Face folder, which Train a student takes as its teacher", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?panel=about&backend=wasm`);
    const zip = await downloaded(page, "Download expert-fr for Hugging Face (.zip)");
    expect(zip.name).toBe("expert-fr.zip");
    const config = JSON.parse(new TextDecoder().decode(zip.entries["expert-fr/config.json"]));
    expect(config).toMatchObject({ model_type: "gpt2", n_embd: 96, n_layer: 3 });
    const card = new TextDecoder().decode(zip.entries["expert-fr/README.md"]);
    expect(card).toMatch(/\| fr \| \d+\.\d \|/);
    // Exported, then imported as the teacher a student distils from.
    const teacher = await downloaded(page, "Download teacher for Hugging Face (.zip)");
    await page.goto(
      `${inject("baseUrl")}?panel=train&backend=wasm&size=tiny&steps=4&batch=4&distil=on`,
    );
    await page.getByLabel("Your own teacher (a GPT-2 folder, .zip)").setInputFiles({
      name: teacher.name,
      mimeType: "application/zip",
      buffer: await readFile(teacher.path),
    });
    await page.getByText(/^Distilling from teacher\.zip \(\d\.\d\d M parameters\)/).waitFor({
      timeout: 60_000,
    });
    await page.getByRole("button", { name: "Start training" }).click();
    await page
      .getByRole("list", { name: "Training runs" })
      .filter({ hasText: /done, step 4/ })
      .waitFor({ timeout: 240_000 });
    // Something that can't be a teacher is refused, saying why in the reader's language: the
    // worker's problem code crosses to the page and is worded from the catalogue.
    const llama = {
      name: "llama.zip",
      mimeType: "application/zip",
      buffer: Buffer.from(
        zipSync({
          "llama/config.json": new TextEncoder().encode('{"model_type": "llama"}'),
          "llama/model.safetensors": new Uint8Array(8),
        }),
      ),
    };
    await page.getByLabel("Your own teacher (a GPT-2 folder, .zip)").setInputFiles(llama);
    await page
      .getByRole("alert")
      .filter({ hasText: 'config.json: model_type is "llama"; MoME Lab\'s GPT needs "gpt2"' })
      .waitFor();
    await page.getByRole("combobox", { name: "Language" }).selectOption("fr");
    await page.getByLabel("Votre propre enseignant (un dossier GPT-2, .zip)").setInputFiles(llama);
    await page
      .getByRole("alert")
      .filter({
        hasText:
          'llama.zip ne peut pas servir d\'enseignant : config.json : model_type vaut "llama" ; le GPT de MoME Lab demande "gpt2"',
      })
      .waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
