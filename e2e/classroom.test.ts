import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

describe("made for the classroom", () => {
  const browser = useBrowser();

  it("opens a lesson step by link and walks the lesson with the arrow keys, lighting each step's control", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&lesson=3`);
    const card = page.getByRole("complementary", { name: "Teacher and student, side by side" });
    await card.getByText("Step 3 of 9").waitFor();
    expect(
      await page.getByRole("tab", { name: "Teacher vs student" }).getAttribute("aria-selected"),
    ).toBe("true");
    await page.locator('[data-lesson="generate"].lesson-highlight').waitFor();
    await page.locator("h1").click(); // focus outside any field
    const seen: string[] = [];
    for (let step = 4; step <= 9; step++) {
      await page.keyboard.press("ArrowRight");
      await page.getByText(`Step ${step} of 9`).waitFor();
      await page.locator(".lesson-highlight").first().waitFor({ timeout: 15_000 });
      seen.push(await page.getByRole("tab", { selected: true }).innerText());
    }
    expect(seen).toEqual([
      "Train a student",
      "Train a student",
      "Train a student",
      "Forgetting",
      "Add a language",
      "About",
    ]);
    expect(new URL(page.url()).searchParams.get("lesson")).toBe("9");
    expect(await page.getByRole("button", { name: "Next step" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Previous step" }).click();
    await page.getByText("Step 8 of 9").waitFor();
    await page.locator("h1").click();
    await page.keyboard.press("ArrowLeft");
    await page.getByText("Step 7 of 9").waitFor();
    // Arrow keys typed in a field move the caret, not the lesson.
    await page.goto(`${inject("baseUrl")}?backend=wasm&lesson=2`);
    const textarea = page.getByRole("textbox", { name: "Text to route" });
    await textarea.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowLeft");
    expect(await page.getByText("Step 2 of 9").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws the lessons' recorded runs at once, dashed and labelled, with no model loaded", async () => {
    // No model file can load: the recorded runs need none.
    const context = await browser().newContext({ serviceWorkers: "block" });
    await context.route(/\/models\//, (route) => route.abort());
    const { page, errors } = await openPage(context);
    await page.goto(`${inject("baseUrl")}?backend=wasm&lesson=5`);
    const ce = page.getByRole("figure", { name: "CE loss chart" });
    await ce.getByText("recorded: α 0.5").waitFor({ timeout: 20_000 });
    expect(await ce.getByText("recorded: adaptive α").count()).toBe(1);
    expect(await ce.locator('path.recharts-curve[stroke-dasharray="6 4"]').count()).toBe(2);
    expect(await page.getByRole("checkbox", { name: "Show the recorded run" }).isChecked()).toBe(
      true,
    );
    await page.locator("h1").click();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.getByText("Step 7 of 9").waitFor();
    const phases = page.getByRole("figure", { name: "Perplexity after each phase" });
    await phases.getByText("recorded: sequential en").waitFor({ timeout: 20_000 });
    // Off: the lines go, and the link says so.
    await page.getByRole("checkbox", { name: "Show the recorded run" }).uncheck();
    expect(await phases.count()).toBe(0);
    expect(new URL(page.url()).searchParams.get("recorded")).toBeNull();
    expect(errors.filter((e) => !/models|Failed to (fetch|load)|ERR_FAILED/.test(e))).toEqual([]);
    await context.close();
  });

  it("presenter mode: 24-pixel type, no shipped-models list, shortcuts that never fire while typing", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&present=1`);
    const textarea = page.getByRole("textbox", { name: "Text to route" });
    await textarea.waitFor();
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll("main p, main label, main button, main textarea")]
        .filter((e) => (e as HTMLElement).offsetParent !== null)
        .map((e) => Number.parseFloat(getComputedStyle(e).fontSize)),
    );
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(24);
    expect(await page.getByRole("heading", { name: "Shipped models" }).isVisible()).toBe(false);
    // Typing "g" and "?" in a field types them.
    await textarea.fill("");
    await textarea.pressSequentially("big?");
    expect(await textarea.inputValue()).toBe("big?");
    expect(await page.getByRole("dialog").count()).toBe(0);
    expect(await page.getByRole("tab", { name: "Routing" }).getAttribute("aria-selected")).toBe(
      "true",
    );
    // Outside a field: "?" lists the shortcuts, Esc closes the list, G generates.
    await page.locator("h1").click();
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    expect(await dialog.innerText()).toMatch(/Space[\s\S]*start, pause or resume training/);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await page.keyboard.press("g");
    await page.getByRole("tab", { name: "Teacher vs student", selected: true }).waitFor();
    // On the stage the header is one bar: its menu holds the rest, Presenter mode included.
    await page.getByRole("button", { name: "Menu" }).click();
    await page.getByRole("button", { name: "Presenter mode" }).click();
    expect(new URL(page.url()).searchParams.get("present")).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(["webgpu", "wasm"])(
    "on %s: draws the model and lights the expert the router picks as the user types; a part opens its tab",
    async (backend) => {
      const { page, errors } = await openPage(browser());
      await page.goto(`${inject("baseUrl")}?backend=${backend}&panel=about`);
      const german = page.getByRole("button", { name: /The German expert/ });
      await german.waitFor();
      expect(await german.getAttribute("aria-pressed")).toBe("false");
      await page.getByRole("button", { name: "The router: open Routing" }).click();
      await page.getByRole("tab", { name: "Routing", selected: true }).waitFor();
      await page
        .getByRole("textbox", { name: "Text to route" })
        .fill("Um eine Tabelle einzufügen, öffnen Sie das Menü Tabelle.");
      await page
        .locator(
          '[aria-label="The German expert: open Teacher vs student with it"][aria-pressed="true"]',
        )
        .waitFor({ timeout: 60_000 });
      expect(
        await page.getByRole("button", { name: /The French expert/ }).getAttribute("aria-pressed"),
      ).toBe("false");
      await page.getByText(/Now: the router sends the text to the German expert/).waitFor();
      await german.press("Enter");
      await page.getByRole("tab", { name: "Teacher vs student", selected: true }).waitFor();
      expect(new URL(page.url()).searchParams.get("expert")).toBe("de");
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it("a class link: a locked control is disabled with a note, a hidden one is gone; the dialog writes such links", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&panel=compare&lock=temperature&hide=topK`);
    const temperature = page.getByRole("spinbutton", { name: /Temperature/ });
    await temperature.waitFor();
    expect(await temperature.isDisabled()).toBe(true);
    expect(await page.getByText("set by the teacher's link").count()).toBe(1);
    expect(await page.getByRole("spinbutton", { name: /Top-k/ }).count()).toBe(0);
    expect(await page.getByRole("spinbutton", { name: "Seed" }).isDisabled()).toBe(false);
    // The teacher's dialog: hide the KD loss, lock the steps; the seed is always locked.
    await page.getByRole("button", { name: "Copy link for students" }).click();
    const dialog = page.getByRole("dialog", { name: "Link for students" });
    await dialog.getByRole("checkbox", { name: "Hide KD loss" }).check();
    await dialog.getByRole("checkbox", { name: "Lock Training steps" }).check();
    expect(await dialog.getByRole("checkbox", { name: "Lock Seed" }).isChecked()).toBe(true);
    const link = await dialog.getByRole("textbox", { name: "The link" }).inputValue();
    const query = new URL(link).searchParams;
    expect(query.get("hide")).toBe("topK,kdLoss");
    expect(query.get("lock")).toBe("temperature,steps,seed");
    await page.keyboard.press("Escape");
    await page.goto(link.replace("panel=compare", "panel=train"));
    await page.getByRole("spinbutton", { name: "Steps" }).waitFor();
    expect(await page.getByRole("spinbutton", { name: "Steps" }).isDisabled()).toBe(true);
    expect(await page.getByRole("combobox", { name: /KD loss/ }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("saves a chart as SVG and PNG, and its data as CSV", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&panel=forget`);
    const saved = async (button: string) => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: button }).click(),
      ]);
      const path = await download.path();
      return { name: download.suggestedFilename(), bytes: readFileSync(path) };
    };
    await page
      .getByRole("button", { name: "Save MoE set-ups as SVG" })
      .waitFor({ timeout: 30_000 });
    const svg = await saved("Save MoE set-ups as SVG");
    expect(svg.name).toBe("moe-setups.svg");
    expect(svg.bytes.toString()).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.bytes.toString()).not.toContain("var(--");
    const png = await saved("Save MoE set-ups as PNG");
    expect(png.name).toBe("moe-setups.png");
    expect([...png.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const csv = await saved("Save MoE set-ups data as CSV");
    const lines = csv.bytes.toString().trim().split("\n");
    expect(lines[0]).toMatch(/^language,/);
    expect(lines).toHaveLength(5); // header and the four languages
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(["webgpu", "wasm"])(
    "on %s: keeps a finished run and its student across a reload, and clears saved runs",
    async (backend) => {
      const { page, errors } = await openPage(browser());
      await page.goto(
        `${inject("baseUrl")}?panel=train&backend=${backend}&distil=off&size=tiny&steps=2&batch=1`,
      );
      await page.getByRole("button", { name: "Start training" }).click();
      const runs = page.getByRole("list", { name: "Training runs" });
      await runs.filter({ hasText: "done" }).waitFor({ timeout: 180_000 });
      await page.getByRole("button", { name: "Download student (#1)" }).waitFor();
      await page.reload();
      await runs.filter({ hasText: /#1 French, .*: done, step 2/ }).waitFor({ timeout: 30_000 });
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Download student (#1)" }).click(),
      ]);
      const files = unzipSync(readFileSync(await download.path()));
      expect(JSON.parse(new TextDecoder().decode(files["model.json"])).format).toBe("mome-gpt");
      await page.getByRole("button", { name: "Clear saved runs" }).click();
      // Shown cleared once the browser's storage is: a reload then finds nothing.
      await expect.poll(() => runs.count()).toBe(0);
      await page.reload();
      await page.getByRole("button", { name: "Start training" }).waitFor();
      await page.waitForTimeout(1000);
      expect(await runs.count()).toBe(0);
      await page.close();
      expect(errors).toEqual([]);
    },
    // WebGPU over SwiftShader compiles its shaders in software: the first steps take a while.
    240_000,
  );

  it("warns before leaving while a run trains, and not once it has stopped", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?panel=train&backend=wasm&distil=off&size=tiny&steps=2000&batch=1`,
    );
    const runs = page.getByRole("list", { name: "Training runs" });
    await page.getByRole("button", { name: "Start training" }).click();
    await runs.filter({ hasText: /step [1-9]/ }).waitFor({ timeout: 60_000 });
    // (Headless Chromium shows no beforeunload dialog: ask the page whether it would cancel.)
    const wouldAsk = () =>
      page.evaluate(() => {
        const leaving = new Event("beforeunload", { cancelable: true });
        window.dispatchEvent(leaving);
        return leaving.defaultPrevented;
      });
    expect(await wouldAsk()).toBe(true);
    await page.getByRole("button", { name: "Stop training" }).click();
    await runs.filter({ hasText: "stopped" }).waitFor({ timeout: 30_000 });
    expect(await wouldAsk()).toBe(false);
    await page.close();
    expect(errors).toEqual([]);
  });
});
