/**
 * The UI in French and German: every tab and every lesson step shows no English catalogue text,
 * passes axe, and fits 320 px, a tablet and the stage; the browser's language picks the default;
 * <html lang> and the title follow.
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import de from "../src/app/i18n/locales/de.json";
import en from "../src/app/i18n/locales/en.json";
import fr from "../src/app/i18n/locales/fr.json";
import { seriousViolations } from "./axe";
import { openPage, useBrowser } from "./browser";

type Catalogue = typeof en;
const CATALOGUES = { fr, de } as const satisfies Record<string, Catalogue>;
const TAB_KEYS = ["tab.route", "tab.compare", "tab.train", "tab.forget", "tab.add", "tab.about"];
const LESSON_STEPS = Object.keys(en).filter((k) => /^lesson\.\w+\.title$/.test(k)).length;

/** English texts with nothing filled in, that the other language says differently. */
function englishOnly(catalogue: Catalogue): Set<string> {
  const theirs = new Set(Object.values(catalogue));
  return new Set(
    Object.values(en).filter((v) => !/\{\{|<\w+>/.test(v) && !theirs.has(v) && v.length > 1),
  );
}

/**
 * Every visible text node's text (trimmed), with the options of every choice; text marked as
 * another language (the language menu's names, each in its own language) is left out.
 */
const visibleTexts = (page: Page) =>
  page.evaluate(() => {
    const texts: string[] = [];
    const own = document.documentElement;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? "";
      const parent = node.parentElement;
      if (!text || !parent || parent.closest("script, style, noscript")) continue;
      if ((parent.closest("[lang]") ?? own) !== own) continue;
      if (parent.closest("option") || parent.checkVisibility()) texts.push(text);
    }
    return texts;
  });

/** Waits until TensorFlow.js runs on WASM, as the language says it. */
async function started(page: Page, t: Catalogue): Promise<void> {
  await page
    .getByRole("status", { name: t["backend.label"], exact: true })
    .filter({ hasText: t["backend.running"].replace("{{backend}}", "WASM") })
    .waitFor({ timeout: 60_000 });
}

/** How far the page scrolls sideways (0: it fits). */
const sideways = (page: Page) =>
  page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) - innerWidth);

describe("the UI's language", () => {
  const browser = useBrowser();

  it.each(Object.keys(CATALOGUES) as (keyof typeof CATALOGUES)[])(
    "in %s: every tab and lesson step shows no English catalogue text and passes axe",
    async (lang) => {
      const t = CATALOGUES[lang];
      const english = englishOnly(t);
      const { page, errors } = await openPage(browser());
      await page.goto(`${inject("baseUrl")}?backend=wasm&lang=${lang}`);
      await started(page, t);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await page.title()).toBe(t["page.title"]);
      const leaks: string[] = [];
      const problems: string[] = [];
      const look = async (where: string) => {
        await page.waitForTimeout(400); // charts, tables and lists settle
        for (const text of await visibleTexts(page))
          if (english.has(text)) leaks.push(`${where}: "${text}"`);
        problems.push(...(await seriousViolations(page)).map((v) => `${where}: ${v}`));
      };
      for (const key of TAB_KEYS) {
        await page.getByRole("tab", { name: t[key as keyof Catalogue], exact: true }).click();
        await page.getByRole("tabpanel").waitFor();
        await look(key);
      }
      await page.getByRole("button", { name: t["tools.lessons"], exact: true }).click();
      for (let step = 1; step <= LESSON_STEPS; step++) {
        const progress = t["lesson.progress"]
          .replace("{{step}}", String(step))
          .replace("{{total}}", String(LESSON_STEPS));
        await page.getByText(progress, { exact: true }).waitFor();
        await look(`lesson step ${step}`);
        if (step < LESSON_STEPS)
          await page.getByRole("button", { name: t["lesson.next"], exact: true }).click();
      }
      expect(leaks).toEqual([]);
      expect(problems).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it.each(Object.keys(CATALOGUES) as (keyof typeof CATALOGUES)[])(
    "in %s: no tab scrolls sideways at 320 px, on a tablet or on the stage",
    async (lang) => {
      const t = CATALOGUES[lang];
      const wide: string[] = [];
      for (const [width, height, extra] of [
        [320, 800, ""],
        [768, 1024, ""],
        [1280, 720, "&present=1&lesson=4"],
      ] as const) {
        const page = await browser().newPage({ viewport: { width, height } });
        await page.goto(`${inject("baseUrl")}?backend=wasm&lang=${lang}${extra}`);
        await started(page, t).catch(() => undefined); // a compact bar words it the same way
        for (const key of TAB_KEYS) {
          await page.getByRole("tab", { name: t[key as keyof Catalogue], exact: true }).click();
          await page.getByRole("tabpanel").waitFor();
          await page.waitForTimeout(300);
          const over = await sideways(page);
          if (over > 0) wide.push(`${width}×${height}${extra} ${key}: ${over} px`);
        }
        await page.close();
      }
      expect(wide).toEqual([]);
    },
  );

  it("follows the browser's language without a link, and a link's lang=en wins over it", async () => {
    const context = await browser().newContext({ locale: "fr-FR" });
    const { page, errors } = await openPage(context);
    await page.goto(`${inject("baseUrl")}?backend=wasm`);
    await page.getByRole("tab", { name: fr["tab.route"], selected: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("fr");
    // The language menu switches, and the choice is kept for the next visit.
    await page.getByRole("combobox", { name: fr["header.language"] }).selectOption("de");
    await page.getByRole("tab", { name: de["tab.route"], selected: true }).waitFor();
    await page.goto(`${inject("baseUrl")}?backend=wasm`);
    await page.getByRole("tab", { name: de["tab.route"], selected: true }).waitFor();
    await page.goto(`${inject("baseUrl")}?backend=wasm&lang=en`);
    await page.getByRole("tab", { name: en["tab.route"], selected: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("en");
    expect(errors).toEqual([]);
    await context.close();
  });
});
