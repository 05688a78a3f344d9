import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { linkSize, parseSettings } from "../src/app/settings";
import { snippets } from "../src/ml/router";
import { openPage, useBrowser } from "./browser";

const NAMES = { en: "English", fr: "French", de: "German", py: "Python" } as const;

describe("routing as you type", () => {
  const browser = useBrowser();

  it.each(["webgpu", "wasm"])(
    "routes a held-out text of each language on %s, shows why, and keeps the text in the link",
    async (backend) => {
      const { page, errors } = await openPage(browser());
      await page.goto(`${inject("baseUrl")}?backend=${backend}`);
      const box = page.getByRole("textbox", { name: "Text to route" });
      const decision = page.getByRole("status", { name: "Routing decision" });
      for (const [lang, name] of Object.entries(NAMES)) {
        // The third of five 300-character validation snippets (the first Python one is a
        // docstring, which reads as English).
        const val = readFileSync(
          join(import.meta.dirname, "..", "data", "val", `${lang}.txt`),
          "utf8",
        );
        const text = snippets(val, 300, 5)[2];
        await box.fill(text);
        await decision.filter({ hasText: `Routed to ${name}` }).waitFor({ timeout: 20_000 });
        const evidence = page.getByRole("region", { name: "Token evidence" });
        expect((await evidence.locator(".tokens span").allTextContents()).join("")).toBe(text);
        expect(new URL(page.url()).searchParams.get("text")).toBe(text);
      }
      expect(await page.getByRole("figure", { name: "Class probabilities" }).textContent()).toMatch(
        /Python \d+\.\d%/,
      );
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it("hands text in none of its languages to the common expert, and explains a decision", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm`);
    const decision = page.getByRole("status", { name: "Routing decision" });
    await page.getByRole("button", { name: "Spanish example (none of these)" }).click();
    await decision.filter({ hasText: "None of these" }).waitFor({ timeout: 20_000 });
    expect(await decision.textContent()).toContain("the common expert takes it");
    const probabilities = page.getByRole("figure", { name: "Class probabilities" });
    expect(await probabilities.textContent()).toMatch(/None of these \d+\.\d%/);
    // Evidence by kind: tokens, character n-grams and (the shipped router reads it) line layout.
    expect(
      await page.getByRole("figure", { name: "Evidence by feature kind" }).textContent(),
    ).toMatch(/n-grams [+-]\d.*line layout [+-]?\d.*scripts [+-]?\d/);
    await page.getByRole("button", { name: "German example" }).click();
    await decision.filter({ hasText: "Routed to German" }).waitFor({ timeout: 20_000 });
    await page.getByRole("checkbox", { name: "Explain" }).check();
    const features = page.getByRole("region", { name: "Explain" }).getByRole("listitem");
    await features.first().waitFor();
    expect(await features.count()).toBe(5);
    expect(new URL(page.url()).searchParams.get("explain")).toBe("on");
    // A language in another script (Georgian, a script the router never trained on): none, and
    // the letters' script explains it (its byte tokens all read "(part of a character)").
    await page
      .getByRole("textbox", { name: "Text to route" })
      .fill("ფაილი ვერ მოიძებნა, სცადეთ ხელახლა.");
    await decision.filter({ hasText: "None of these" }).waitFor({ timeout: 20_000 });
    await features.filter({ hasText: "script: letter of another script" }).waitFor();
    expect(await features.count()).toBe(5);
    // Emoji are left out of what the router reads: beside words they change nothing, and alone
    // they leave nothing to read, so the common expert takes them.
    const box = page.getByRole("textbox", { name: "Text to route" });
    await box.fill("Guten Morgen, ihr alle 😊");
    await decision.filter({ hasText: "Routed to German" }).waitFor({ timeout: 20_000 });
    await page.getByText("1 emoji left out").waitFor();
    // What code quotes in another script is left out too: this is Python.
    await box.fill('name = input("Как тебя зовут? ")\nprint("Привет, " + name)');
    await decision.filter({ hasText: "Routed to Python" }).waitFor({ timeout: 20_000 });
    await page.getByText("18 characters in another script left out").waitFor();
    await box.fill("🎉🎉🎉");
    await decision.filter({ hasText: "emoji alone" }).waitFor({ timeout: 20_000 });
    await page.getByText("3 emoji left out").waitFor();
    expect(await features.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("falls back to defaults on a hostile link, with a notice and no injected markup", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(
      `${inject("baseUrl")}?backend=wasm&panel=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&temperature=Infinity`,
    );
    const notice = page.getByRole("alert");
    await notice.waitFor();
    expect(await notice.textContent()).toContain('"temperature" is not a number');
    expect(await page.locator("img").count()).toBe(0);
    await page.getByRole("button", { name: "OK" }).click();
    expect(await page.getByRole("alert").count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps the first 5000 characters of a long paste, says so, and routes what it shows", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm`);
    const box = page.getByRole("textbox", { name: "Text to route" });
    await box.fill("Der Drucker druckt jede Seite zweimal. ".repeat(600)); // 23,400 characters
    await page
      .getByRole("status", { name: "Routing decision" })
      .filter({ hasText: "Routed to German" })
      .waitFor({ timeout: 20_000 });
    expect((await box.inputValue()).length).toBe(5000);
    await page.getByText("Only the first 5,000 characters are kept").waitFor();
    // The link holds it compressed, small enough for any host.
    const link = new URL(page.url());
    expect(link.searchParams.has("z")).toBe(true);
    expect(parseSettings(link.search).settings.text.length).toBe(5000);
    expect(linkSize(page.url()).tooLong).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("the Router lab", () => {
  const browser = useBrowser();

  it("trains a router in the browser that routes the four examples, and routes with it", async () => {
    const { page, errors } = await openPage(browser());
    await page.goto(`${inject("baseUrl")}?backend=wasm&routerKind=nb&routerFeatures=tokens`);
    await page.getByRole("button", { name: "Train router" }).click();
    const status = page.getByRole("status", { name: "Router lab status" });
    await status.filter({ hasText: "trained in" }).waitFor({ timeout: 60_000 });
    expect(await status.textContent()).toMatch(/^Naive Bayes, The paper's/);
    expect(
      await page.getByRole("table", { name: "Confusion matrix" }).locator("tbody tr").count(),
    ).toBe(4);
    await page.getByRole("figure", { name: "Accuracy by text length" }).waitFor();
    await page.getByRole("button", { name: "Route with this router" }).click();
    const decision = page.getByRole("status", { name: "Routing decision" });
    for (const name of Object.values(NAMES)) {
      await page.getByRole("button", { name: `${name} example`, exact: true }).click();
      await decision
        .filter({ hasText: `Routed to ${name} (` })
        .filter({ hasText: "by your router" })
        .waitFor({ timeout: 20_000 });
    }
    await page.getByRole("button", { name: "Route with the shipped router" }).click();
    await decision.filter({ hasNotText: "by your router" }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
