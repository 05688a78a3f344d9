import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("teacher vs student", () => {
  const browser = useBrowser();

  it.each([
    ["wasm", 24],
    ["webgpu", 2], // WebGPU over SwiftShader is ~50x slower than wasm: few tokens keep it cheap
    ["webgl", 6],
  ])(
    "streams both outputs side by side on %s, colours the student's tokens, and repeats with the same seed",
    async (backend, tokens) => {
      const { page, errors } = await openPage(browser());
      await page.goto(
        `${inject("baseUrl")}?panel=compare&backend=${backend}&maxTokens=${tokens}&seed=7`,
      );
      await page
        .getByRole("textbox", { name: "Prompt" })
        .fill("Pour enregistrer le document, ouvrez le menu");
      const teacher = page.getByRole("region", { name: "Teacher output" });
      const student = page.getByRole("region", { name: "Student output" });
      // The status names each generation, so a repeated run is waited for, not the previous one.
      let generation = 0;
      const run = async () => {
        generation++;
        await page.getByRole("button", { name: "Generate" }).click();
        await page
          .getByRole("status")
          .filter({ hasText: new RegExp(`^Done \\(generation ${generation}\\)|failed`) })
          .waitFor({ timeout: 240_000 });
        return {
          teacher: await teacher.locator(".generated").textContent(),
          student: await student.locator(".generated").textContent(),
        };
      };
      const first = await run();
      expect(await student.textContent()).toContain("expert-fr"); // the prompt is French: routed to the French expert
      expect(await teacher.textContent()).toMatch(
        /\d+\.\d\d M parameters · \d+ tokens · [\d,]+\.\d tokens\/s \([\d,]+\.\d\d ms a token\) · first token after \d+ ms/,
      );
      // The line that compares them comes from these figures.
      expect(
        await page.getByRole("status", { name: "Student against teacher" }).textContent(),
      ).toMatch(
        /^Here the student is \d+\.\d× smaller than the teacher and runs \d+\.\d× faster\.$/,
      );
      expect(first.teacher?.length).toBeGreaterThan(0);
      expect(first.student?.length).toBeGreaterThan(0);
      expect(
        await student.locator(".generated span[title^='KL(teacher ‖ student)']").count(),
      ).toBeGreaterThan(0);
      const second = await run();
      expect(second).toEqual(first);
      expect(errors).toEqual([]);
      await page.close();
    },
    400_000,
  );

  it("stops a long generation on request and says which language the router chose", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?panel=compare&backend=wasm&maxTokens=256&seed=3`);
    await page.getByRole("textbox", { name: "Prompt" }).fill("def parse_header(line):\n    ");
    await page.getByRole("button", { name: "Generate" }).click();
    const teacher = page.getByRole("region", { name: "Teacher output" });
    await teacher.filter({ hasText: / [1-9]\d* tokens/ }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Stop" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: "Stopped (generation 1)" })
      .waitFor({ timeout: 30_000 });
    const tokens = Number((await teacher.textContent())?.match(/ (\d+) tokens/)?.[1]);
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).toBeLessThan(256);
    expect(await page.getByRole("region", { name: "Student output" }).textContent()).toContain(
      "expert-py (the router read the prompt as Python)",
    );
    expect(await page.getByRole("button", { name: "Stop" }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a model download that never answers, and cancels it: Stop ends the loading, and Generate works again", async () => {
    // No service worker, so the workers' requests meet this route (a dead connection's hang).
    const context = await browser().newContext({ serviceWorkers: "block" });
    const { page, errors } = await openPage(context);
    // Every shard request hangs, as a dead connection would, until the test lets them through.
    let hang = true;
    let hungOne: () => void = () => {};
    const hung = new Promise<void>((resolve) => {
      hungOne = resolve;
    });
    await context.route(/\.bin$/, async (route) => {
      if (!hang) return route.continue();
      hungOne();
      await new Promise(() => {}); // never answered
    });
    await page.goto(`${inject("baseUrl")}?panel=compare&backend=wasm&maxTokens=4&prompt=Bonjour`);
    const status = page.getByRole("status").filter({ hasText: /Loading|Generat|Done|cancelled/ });
    await page.getByRole("button", { name: "Generate" }).click();
    await status.filter({ hasText: "Loading the models" }).waitFor();
    await hung; // a shard request is hanging now
    // The status shows the stall as it happens.
    await status.filter({ hasText: /No data for \d+ s/ }).waitFor({ timeout: 15_000 });
    const stop = page.getByRole("button", { name: "Stop" });
    expect(await stop.isEnabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Generate" }).isDisabled()).toBe(true);
    await stop.click();
    // At once, not after the 20 s stall limit and its retries.
    await status.filter({ hasText: "Loading cancelled" }).waitFor({ timeout: 5_000 });
    expect(await page.getByRole("button", { name: "Generate" }).isEnabled()).toBe(true);
    hang = false;
    await page.getByRole("button", { name: "Generate" }).click();
    await status.filter({ hasText: "Done (generation 2)" }).waitFor({ timeout: 60_000 });
    expect(errors.filter((e) => !e.includes("offline support is off"))).toEqual([]);
    await context.close();
  });
});
