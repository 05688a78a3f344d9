/**
 * The smoke suite Firefox and WebKit run (Chromium has the full suite): what a newcomer does on a
 * first visit, on the site as a plain static host serves it (no COOP/COEP, under a sub-path).
 */
import { expect, inject, it } from "vitest";
import { NONE_EXAMPLES } from "../../src/app/languages";
import { LANGUAGE_NAMES, LANGUAGES } from "../../src/ml/languages";
import { backendLine, dom, type EnginePage, waitFor } from "../engines";

declare module "vitest" {
  export interface ProvidedContext {
    staticSiteUrl: string;
  }
}

/** A first visit: the page loads, becomes isolated after the service worker's reload, and routes. */
export async function firstVisit(page: EnginePage, query = ""): Promise<void> {
  await page.goto(`${inject("staticSiteUrl")}${query}`);
  await waitFor(page, "the isolated page", 60_000, dom.isolated);
  await waitFor(page, "the English example", 20_000, dom.click, "English example");
  await decision(page, "Routed to English", 45_000);
}

/**
 * Opens `query` and waits until its workers have started, as a person reading the page would:
 * leaving a page while a worker's script loads makes Firefox report the aborted load as an error.
 */
async function visit(page: EnginePage, query: string): Promise<void> {
  await page.goto(`${inject("staticSiteUrl")}${query}`);
  await backendLine(page);
}

const decision = (page: EnginePage, expected: string, timeoutMs = 20_000) =>
  waitFor(
    page,
    `"${expected}"`,
    timeoutMs,
    (want: string) =>
      (document.querySelector('[aria-label="Routing decision"]')?.textContent ?? "").startsWith(
        want,
      ),
    expected,
  );

/**
 * The smoke tests, in one browser page (`open` starts it) that each test goes on with, as a person
 * would: a fresh page costs a browser start and the service worker's reload.
 */
export function smokeTests(open: () => Promise<EnginePage>, page: () => EnginePage): void {
  it("loads, becomes isolated and routes the six examples", async () => {
    await open();
    await firstVisit(page());
    expect(await backendLine(page())).toMatch(/^Running on WASM/);
    for (const lang of LANGUAGES) {
      await page().run(dom.click, `${LANGUAGE_NAMES[lang]} example`);
      await decision(page(), `Routed to ${LANGUAGE_NAMES[lang]}`);
    }
    for (const name of Object.keys(NONE_EXAMPLES)) {
      await page().run(dom.click, `${name} example (none of these)`);
      await decision(page(), "None of these");
    }
  });

  it("streams the teacher's and the student's outputs side by side", async () => {
    await visit(page(), "?panel=compare&maxTokens=6&seed=3");
    await waitFor(page(), "the Generate button", 30_000, dom.click, "Generate");
    await waitFor(page(), "a finished generation", 120_000, () =>
      /Done \(generation 1\)/.test(document.body.innerText),
    );
    const outputs = await page().run(() =>
      ["Teacher output", "Student output"].map(
        (label) =>
          document.querySelector(`[aria-label="${label}"] .generated`)?.textContent?.length ?? 0,
      ),
    );
    for (const length of outputs) expect(length).toBeGreaterThan(0);
  });

  it("trains a short run to the end, and keeps it over a reload", async () => {
    await visit(page(), "?panel=train&distil=off&size=tiny&steps=6&batch=4");
    await waitFor(page(), "the Start training button", 30_000, dom.click, "Start training");
    const done = () =>
      /: done, step 6/.test(
        document.querySelector('[aria-label="Training runs"]')?.textContent ?? "",
      );
    await waitFor(page(), "a finished run", 180_000, done);
    await page().reload();
    await waitFor(page(), "the finished run after a reload", 30_000, done);
    await backendLine(page());
  });

  it("walks through the lesson", async () => {
    await visit(page(), "?lesson=1");
    const steps = await waitFor(
      page(),
      "the lesson card",
      20_000,
      () =>
        document.querySelector(".lesson-progress")?.textContent?.match(/^Step 1 of (\d+)$/)?.[1],
    );
    for (let step = 2; step <= Number(steps); step++) {
      await page().run(dom.click, "Next step");
      await waitFor(
        page(),
        `step ${step}`,
        20_000,
        (want: string) => document.querySelector(".lesson-progress")?.textContent === want,
        `Step ${step} of ${steps}`,
      );
    }
  });

  it("runs the forgetting experiment", async () => {
    await visit(page(), "?panel=forget&forgetSteps=2");
    await waitFor(page(), "the Run button", 30_000, dom.click, "Run forgetting experiment");
    const caption = await waitFor(
      page(),
      "the forgetting result",
      240_000,
      dom.text,
      "What the run shows",
    );
    expect(caption).toMatch(/^Trained in sequence, the student forgot/);
  });

  it("reported no uncaught error", async () => {
    expect(await page().errors()).toEqual([]);
  });
}
