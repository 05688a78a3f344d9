import { afterAll, describe, expect, inject, it } from "vitest";
import { backendLine, dom, type EnginePage, openFirefox, waitFor } from "../engines";
import { firstVisit, smokeTests } from "./smoke";

/**
 * A preload script: the page's first worker named `name` (per document) stands in for one that
 * Firefox froze while it started TensorFlow.js's threaded WASM build (inside `new Worker()` of its
 * thread pool). It answers the supervisor's first ping, then its thread never runs again.
 */
function freezeFirstWorker(name: string): void {
  const Native = window.Worker;
  let frozen = false;
  window.Worker = class extends Native {
    constructor(url: string | URL, options?: WorkerOptions) {
      if (options?.name !== name || frozen) {
        super(url, options);
        return;
      }
      frozen = true;
      const source = `onmessage = (e) => {
        const type = e.data && e.data.type;
        if (type === "mome:ping") postMessage({ type: "mome:pong" });
        else if (type !== "mome:single-thread") for (;;) {}
      };`;
      super(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    }
  };
}

describe("Firefox ESR", () => {
  let page: EnginePage | undefined;
  const current = () => {
    if (!page) throw new Error("Firefox has not started");
    return page;
  };
  afterAll(async () => {
    await page?.close();
  });

  smokeTests(async () => {
    page = await openFirefox();
    return page;
  }, current);

  it("starts on every one of five cold first visits", async () => {
    await page?.close();
    for (let visit = 0; visit < 5; visit++) {
      page = await openFirefox();
      await firstVisit(page);
      expect(await page.errors()).toEqual([]);
      await page.close();
      page = undefined;
    }
  });

  it("recovers on its own when the model worker freezes while starting", async () => {
    page = await openFirefox(freezeFirstWorker, "model");
    await firstVisit(page);
    expect(await backendLine(page)).toMatch(/^Running on WASM · 1 thread/);
    await page.close();
    page = undefined;
  });

  it("runs Forgetting when the training worker freezes while starting", async () => {
    page = await openFirefox(freezeFirstWorker, "train");
    await page.goto(`${inject("staticSiteUrl")}?panel=forget&forgetSteps=2`);
    await waitFor(page, "the isolated page", 60_000, dom.isolated);
    await waitFor(page, "the Run button", 30_000, dom.click, "Run forgetting experiment");
    const caption = await waitFor(
      page,
      "the forgetting result",
      240_000,
      dom.text,
      "What the run shows",
    );
    expect(caption).toMatch(/^Trained in sequence, the student forgot/);
    await page.close();
    page = undefined;
  });
});
