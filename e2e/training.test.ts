import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("training a student in the browser", () => {
  const browser = useBrowser();

  it.each([
    ["wasm", 12, 8],
    // WebGPU over SwiftShader is ~50x slower than wasm: a few steps of one sequence keep it cheap.
    ["webgpu", 4, 1],
  ])(
    "trains a tiny CE-only student on %s and draws the losses as they come",
    async (backend, steps, batch) => {
      const { page, errors } = await openPage(browser());
      await page.goto(
        `${inject("baseUrl")}?panel=train&backend=${backend}&distil=off&size=tiny&steps=${steps}&batch=${batch}`,
      );
      await page.getByRole("button", { name: "Start training" }).click();
      const runs = page.getByRole("list", { name: "Training runs" });
      // The CE chart grows while training runs.
      const ceLine = page
        .getByRole("figure", { name: "CE loss chart" })
        .locator(".recharts-line path")
        .first();
      await ceLine.waitFor({ timeout: 120_000 });
      const early = (await ceLine.getAttribute("d"))?.length ?? 0;
      await runs.filter({ hasText: "done" }).waitFor({ timeout: 240_000 });
      const late = (await ceLine.getAttribute("d"))?.length ?? 0;
      expect(late).toBeGreaterThan(early);
      expect(await runs.textContent()).toMatch(
        new RegExp(
          `on ${backend.toUpperCase()}: done, step ${steps}, CE \\d+\\.\\d{3}, [\\d,]+ tokens/s, validation perplexity [\\d,]+`,
        ),
      );
      expect(
        await page
          .getByRole("figure", { name: "Validation perplexity chart" })
          .locator(".recharts-line path")
          .count(),
      ).toBeGreaterThan(0);
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download student" }).click(),
      ]);
      expect(download.suggestedFilename()).toBe("mome-lab-student.zip");
      const files = unzipSync(readFileSync(await download.path()));
      const model = JSON.parse(new TextDecoder().decode(files["model.json"]));
      expect(model.format).toBe("mome-gpt");
      expect(model.config.dModel).toBe(32);
      for (const path of model.weightsManifest[0].paths)
        expect(files[path].length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it("distils from the teacher with adaptive α, then uses the student in Teacher vs student", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?panel=train&backend=wasm&size=tiny&steps=12&alphaMode=adaptive&maxTokens=8`,
    );
    await page.getByRole("button", { name: "Start training" }).click();
    const runs = page.getByRole("list", { name: "Training runs" });
    await runs.filter({ hasText: "done" }).waitFor({ timeout: 240_000 });
    expect(await runs.textContent()).toContain("adaptive α, forward");
    expect(
      await page
        .getByRole("figure", { name: "KD loss chart" })
        .locator(".recharts-line path")
        .count(),
    ).toBeGreaterThan(0);
    await page.getByRole("button", { name: "Use in Teacher vs student" }).click();
    await page.getByRole("tab", { name: "Teacher vs student", selected: true }).waitFor();
    await page.getByRole("textbox", { name: "Prompt" }).fill("Le document");
    await page.getByRole("button", { name: "Generate" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^Done|failed/ })
      .waitFor({ timeout: 120_000 });
    const student = page.getByRole("region", { name: "Student output" });
    expect(await student.textContent()).toContain("your-student");
    expect(await student.textContent()).toMatch(/0\.\d\d M parameters · \d+ tokens/);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it("refuses a text that is too short, with a message", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?panel=train&backend=wasm&corpus=custom`);
    const box = page.getByRole("textbox", { name: "Your training text" });
    await box.fill("far too short");
    await box.blur();
    expect(await page.getByRole("alert").textContent()).toContain("too short to train on");
    await page.getByRole("button", { name: "Start training" }).click();
    await page.getByRole("list", { name: "Training runs" }).filter({ hasText: "failed" }).waitFor();
    expect(await page.getByRole("list", { name: "Training runs" }).textContent()).toContain(
      "paste or upload your text first",
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it("pauses, resumes and stops a run on wasm", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?panel=train&backend=wasm&distil=off&size=tiny&steps=2000`,
    );
    const run = page.getByRole("list", { name: "Training runs" }).getByRole("listitem");
    const step = async () => Number((await run.textContent())?.match(/step (\d+)/)?.[1] ?? 0);
    await page.getByRole("button", { name: "Start training" }).click();
    await run.filter({ hasText: /step [1-9]/ }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Pause" }).click();
    await run.filter({ hasText: "paused" }).waitFor();
    await page.waitForTimeout(1000); // the step in flight and its metrics arrive
    const paused = await step();
    await page.waitForTimeout(1500);
    expect(await step()).toBe(paused);
    await page.getByRole("button", { name: "Resume" }).click();
    await expect.poll(step, { timeout: 30_000 }).toBeGreaterThan(paused);
    await page.getByRole("button", { name: "Stop training" }).click();
    await run.filter({ hasText: "stopped" }).waitFor({ timeout: 30_000 });
    expect(await step()).toBeLessThan(2000);
    expect(await page.getByRole("button", { name: "Download student" }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("takes an uploaded text file, and explains why a binary or too large file is refused", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?panel=train&backend=wasm&corpus=custom`);
    const upload = page.getByLabel("or upload a text file (up to 5 MB)");
    const alert = page.getByRole("alert");

    await upload.setInputFiles({
      name: "image.png",
      mimeType: "image/png",
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, ...Array(2000).fill(0)]),
    });
    expect(await alert.textContent()).toContain("does not look like text");

    await upload.setInputFiles({
      name: "huge.txt",
      mimeType: "text/plain",
      buffer: Buffer.alloc(6 * 2 ** 20, "a"),
    });
    expect(await alert.textContent()).toContain("huge.txt is 6.0 MB; the limit is 5 MB");

    const text = "Ein kleiner Text über Drucker, Papier und Tinte. ".repeat(40);
    await upload.setInputFiles({
      name: "notes.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(text),
    });
    await page
      .getByText(`Using notes.txt (${text.length.toLocaleString("en-US")} characters).`)
      .waitFor();
    expect(await alert.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("loads a downloaded student into Teacher vs student in a new tab, and refuses a file that is not one", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?panel=train&backend=wasm&distil=off&size=tiny&steps=10`);
    await page.getByRole("button", { name: "Start training" }).click();
    await page
      .getByRole("list", { name: "Training runs" })
      .filter({ hasText: "done" })
      .waitFor({ timeout: 120_000 });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download student" }).click(),
    ]);
    const zip = readFileSync(await download.path()); // the file goes with the page
    await page.close();

    const { page: later, errors: laterErrors } = await openPage(browser());
    await later.goto(`${inject("baseUrl")}?panel=compare&backend=wasm&maxTokens=4`);
    const upload = later.getByLabel("Load a downloaded student (.zip)");
    await upload.setInputFiles({
      name: "notes.zip",
      mimeType: "application/zip",
      buffer: Buffer.from("not a zip at all"),
    });
    expect(await later.getByRole("alert").textContent()).toContain(
      "notes.zip could not be loaded: it is not a zip file",
    );
    await upload.setInputFiles({
      name: "mome-lab-student.zip",
      mimeType: "application/zip",
      buffer: zip,
    });
    await later.getByText(/Your student: 0\.\d\d M parameters/).waitFor({ timeout: 30_000 });
    expect(await later.getByRole("combobox", { name: "Student" }).inputValue()).toBe("mine");
    await later.getByRole("textbox", { name: "Prompt" }).fill("Le document");
    await later.getByRole("button", { name: "Generate" }).click();
    await later
      .getByRole("status")
      .filter({ hasText: /^Done|failed/ })
      .waitFor({ timeout: 120_000 });
    expect(await later.getByRole("region", { name: "Student output" }).textContent()).toContain(
      "your-student",
    );
    // Loading a student while it generates: the generation goes on with the one it started with.
    await later.getByRole("spinbutton", { name: "Tokens" }).fill("48");
    await later.getByRole("button", { name: "Generate" }).click();
    await later
      .getByRole("region", { name: "Student output" })
      .filter({ hasText: / [1-9]\d* tokens/ })
      .waitFor({ timeout: 60_000 });
    await upload.setInputFiles({ name: "again.zip", mimeType: "application/zip", buffer: zip });
    const done = later.getByRole("status").filter({ hasText: /^Done \(generation 2\)|failed/ });
    await done.waitFor({ timeout: 120_000 });
    expect(await done.textContent()).toMatch(/^Done \(generation 2\)/);
    expect(await later.getByRole("region", { name: "Student output" }).textContent()).toMatch(
      / [1-9]\d* tokens/,
    );
    await later.getByText(/Your student: 0\.\d\d M parameters, again\.zip/).waitFor();
    expect([...errors, ...laterErrors]).toEqual([]);
    await later.close();
  });

  it("races two lanes on the same batches: both charts grow, a live knob is marked, time left is shown", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?panel=train&backend=wasm&size=tiny&steps=30&batch=2&alphaMode=fixed&alpha=0.5`,
    );
    await page.getByRole("button", { name: "Add to race" }).click();
    await page.getByRole("combobox", { name: "α schedule" }).selectOption("adaptive");
    await page.getByRole("button", { name: "Add to race" }).click();
    const lanes = page.getByRole("list", { name: "Race lanes" });
    expect(await lanes.getByRole("listitem").allTextContents()).toEqual([
      "α 0.5 ×",
      "adaptive α ×",
    ]);
    expect(page.url()).toContain("race=");
    await page.getByRole("button", { name: "Start race" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /Step \d+ of 30 · about .* left/ })
      .waitFor({ timeout: 60_000 });
    // A live knob: the learning rate doubles from the next step, marked on the charts.
    await page.getByRole("spinbutton", { name: "Learning rate" }).fill("0.006");
    const runs = page.getByRole("list", { name: "Training runs" });
    await runs
      .getByRole("listitem")
      .filter({ hasText: "done" })
      .nth(1)
      .waitFor({ timeout: 120_000 });
    const ce = page.getByRole("figure", { name: "CE loss chart" });
    expect(await ce.locator(".recharts-line path").count()).toBeGreaterThanOrEqual(2);
    expect(await ce.getByText("lr 0.006").count()).toBeGreaterThan(0);
    expect(await runs.textContent()).toMatch(
      /#1 French, α 0\.5 on WASM: done, step 30.*#2 French, adaptive α on WASM: done, step 30/,
    );
    expect(
      await page.getByText(/About \d+ s on this computer \(measured\)/).count(),
    ).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
