/**
 * The stage: in presenter mode every lesson step, once its action has run, shows its control, its
 * result and the Next button on one screen (1280 × 720 and 1920 × 1080), none of them under the
 * lesson card, and the page itself does not scroll.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { openPage, useBrowser } from "./browser";

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where an element lies on the screen (it must be there). */
async function boxOf(locator: Locator): Promise<Box> {
  await locator.waitFor({ timeout: 120_000 });
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator} has no box`);
  return box;
}

const inside = (b: Box, w: number, h: number) =>
  b.x >= 0 && b.y >= 0 && b.x + b.width <= w + 0.5 && b.y + b.height <= h + 0.5;
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Each step: the link's extra settings (lesson-sized runs made short), its action, its control and results. */
interface StageStep {
  step: number;
  extra?: string;
  act?: (page: Page) => Promise<void>;
  control: (page: Page) => Locator;
  results: (page: Page) => Locator[];
}

const STEPS: StageStep[] = [
  {
    step: 1,
    control: (p) => p.locator(".model-diagram"),
    results: (p) => [p.getByRole("table", { name: "Validation perplexity of the shipped models" })],
  },
  {
    step: 2,
    act: (p) =>
      p
        .getByRole("textbox", { name: "Text to route" })
        .fill("Para insertar una tabla, abra el menú Tabla y elija Insertar tabla."),
    control: (p) => p.getByRole("textbox", { name: "Text to route" }),
    results: (p) => [
      p.getByRole("status", { name: "Routing decision" }).filter({ hasText: "None of these" }),
      p.getByRole("figure", { name: "Class probabilities" }),
      p.locator(".evidence .tokens"),
    ],
  },
  {
    step: 3,
    extra: "&maxTokens=12",
    act: async (p) => {
      await p.getByRole("button", { name: "Generate" }).click();
      await p.getByText(/^Done \(generation 1\)/).waitFor({ timeout: 120_000 });
    },
    control: (p) => p.getByRole("button", { name: "Generate" }),
    results: (p) => [
      p.getByRole("region", { name: "Teacher output" }),
      p.getByRole("region", { name: "Student output" }),
    ],
  },
  {
    step: 4,
    extra: "&steps=4",
    act: async (p) => {
      await p.getByRole("button", { name: "Start race" }).click();
      await p
        .getByText(/: done/)
        .first()
        .waitFor({ timeout: 180_000 });
    },
    control: (p) => p.getByRole("button", { name: "Start race" }),
    results: (p) => [
      p.getByRole("figure", { name: "Validation perplexity chart" }),
      p.getByRole("figure", { name: "CE loss chart" }),
    ],
  },
  {
    step: 5,
    extra: "&steps=4",
    act: async (p) => {
      await p.getByRole("button", { name: "Start race" }).click();
      await p
        .getByText(/: done/)
        .first()
        .waitFor({ timeout: 180_000 });
    },
    control: (p) => p.getByRole("button", { name: "Start race" }),
    results: (p) => [
      p.getByRole("figure", { name: "CE loss chart" }),
      p.getByRole("figure", { name: "Validation perplexity chart" }),
    ],
  },
  {
    step: 6,
    extra: "&steps=4",
    act: async (p) => {
      await p.getByRole("button", { name: "Start training" }).click();
      await p
        .getByText(/: done/)
        .first()
        .waitFor({ timeout: 180_000 });
    },
    control: (p) => p.getByRole("combobox", { name: "KD loss" }),
    results: (p) => [
      p.getByRole("figure", { name: "CE loss chart" }),
      p.getByRole("figure", { name: "Validation perplexity chart" }),
    ],
  },
  {
    step: 7,
    extra: "&forgetSteps=2",
    act: async (p) => {
      await p.getByRole("button", { name: "Run forgetting experiment" }).click();
      await p.getByRole("status", { name: "What the run shows" }).waitFor({ timeout: 300_000 });
    },
    control: (p) => p.getByRole("button", { name: "Run forgetting experiment" }),
    results: (p) => [p.getByRole("figure", { name: "Perplexity after each phase" })],
  },
  {
    step: 8,
    extra: "&addSteps=2&addDistil=off",
    act: async (p) => {
      await p.getByRole("button", { name: "Add language" }).click();
      await p
        .getByRole("table", { name: "Existing experts before and after" })
        .waitFor({ timeout: 300_000 });
    },
    control: (p) => p.getByRole("button", { name: "Add language" }),
    results: (p) => [
      p.getByRole("status", { name: "The router's new class" }),
      p.getByRole("table", { name: "Existing experts before and after" }),
    ],
  },
  {
    step: 9,
    control: (p) => p.getByRole("table", { name: "Validation perplexity of the shipped models" }),
    results: () => [],
  },
];

describe("the stage: each lesson step on one projector screen", () => {
  const browser = useBrowser();

  it.each(
    [
      [1280, 720],
      [1920, 1080],
    ].flatMap(([width, height]) => STEPS.map((s) => [s.step, width, height, s] as const)),
  )(
    "step %i: its control, its result and Next, on one %i × %i screen",
    async (_n, width, height, s) => {
      const context = await browser().newContext({ viewport: { width, height } });
      const { page, errors } = await openPage(context);
      await page.goto(
        `${inject("baseUrl")}?backend=wasm&present=1&lesson=${s.step}${s.extra ?? ""}`,
      );
      await page.locator(".lesson-highlight").first().waitFor({ timeout: 60_000 });
      if (process.env.STAGE_SHOTS)
        await page.screenshot({
          path: `${process.env.STAGE_SHOTS}/step-${s.step}-${width}-before.png`,
        });
      await s.act?.(page);
      if (process.env.STAGE_SHOTS)
        await page.screenshot({ path: `${process.env.STAGE_SHOTS}/step-${s.step}-${width}.png` });
      const card = await boxOf(page.locator(".lesson-card"));
      const shown = [
        s.control(page),
        ...s.results(page),
        page.getByRole("button", { name: "Next step" }),
      ];
      for (const locator of shown) {
        const box = await boxOf(locator);
        expect(inside(box, width, height), `${locator} at ${JSON.stringify(box)}`).toBe(true);
        if (!(await locator.evaluate((e) => e.closest(".lesson-card") !== null)))
          expect(overlap(box, card), `${locator} under the lesson card`).toBe(false);
      }
      expect(await page.evaluate(() => document.scrollingElement?.scrollTop)).toBe(0);
      expect(errors).toEqual([]);
      await context.close();
    },
  );
});
