import { afterAll, beforeAll, describe, it } from "vitest";
import { type EnginePage, openWebKit, startWebKitServices, type WebKitServices } from "../engines";
import { firstVisit, smokeTests } from "./smoke";

describe("WebKitGTK (Safari's engine)", () => {
  let services: WebKitServices;
  let page: EnginePage | undefined;
  const current = () => {
    if (!page) throw new Error("WebKit has not started");
    return page;
  };
  beforeAll(async () => {
    services = await startWebKitServices();
  });
  afterAll(async () => {
    await page?.close();
    await services?.stop();
  });

  smokeTests(async () => {
    page = await openWebKit(services);
    return page;
  }, current);

  it("starts on repeated first visits", async () => {
    await page?.close();
    for (let visit = 0; visit < 2; visit++) {
      page = await openWebKit(services);
      await firstVisit(page);
      await page.close();
      page = undefined;
    }
  });
});
