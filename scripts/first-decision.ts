/**
 * How soon each browser routes a text: milliseconds from the page's start to its first routing
 * decision (the store's performance mark), on a first visit (from the moment the address is
 * opened, the service worker's reload included) and on a repeat visit (the site cached); and the
 * backend each picked by measuring on the first visit.
 */

import {
  backendLine,
  dom,
  type EnginePage,
  openChromium,
  openFirefox,
  openWebKit,
  startWebKitServices,
  waitFor,
} from "../e2e/engines";
import { EXAMPLES } from "../src/app/languages";
import { FIRST_DECISION_MARK } from "../src/app/performance-marks";

export interface FirstDecision {
  browser: string;
  firstVisitMs: number;
  repeatVisitMs: number;
  /** The Compute backend line: the backend picked and the figures the first visit measured. */
  backendLine: string;
  /** How long measuring the backends takes in a fresh speed-check worker (what a first visit waits). */
  measureMs: number;
}

/** Times the speed-check worker's measurement of every backend, as a first visit runs it. */
const timedMeasurement = async (): Promise<number> => {
  const lab = (
    globalThis as unknown as {
      momeLab: { bench: () => { api: { measureBackends(): Promise<unknown> } } };
    }
  ).momeLab;
  const started = performance.now();
  await lab.bench().api.measureBackends();
  return performance.now() - started;
};

/** The page's first-decision mark (ms since the page started), once it is there. */
const decisionMark = (page: EnginePage) =>
  waitFor(
    page,
    "the first routing decision",
    60_000,
    (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? 0,
    FIRST_DECISION_MARK,
  );

async function measure(page: EnginePage, siteUrl: string): Promise<FirstDecision> {
  const url = `${siteUrl}?text=${encodeURIComponent(EXAMPLES.fr)}`;
  const opened = performance.now();
  await page.goto(url);
  await waitFor(page, "the isolated page", 60_000, dom.isolated);
  await decisionMark(page);
  const firstVisitMs = performance.now() - opened;
  await page.goto(url);
  const repeatVisitMs = await decisionMark(page);
  const line = await backendLine(page);
  // The repeat visit used the kept measurement: its speed-check worker starts fresh here.
  const measureMs = await page.run(timedMeasurement);
  return { browser: page.engine, firstVisitMs, repeatVisitMs, backendLine: line, measureMs };
}

/** First-decision times in Chromium, Firefox and WebKit, one browser at a time. */
export async function firstDecisionTimes(siteUrl: string): Promise<FirstDecision[]> {
  const times: FirstDecision[] = [];
  for (const open of [openChromium, () => openFirefox()]) {
    const page = await open();
    try {
      times.push(await measure(page, siteUrl));
    } finally {
      await page.close();
    }
  }
  const services = await startWebKitServices();
  try {
    const page = await openWebKit(services);
    try {
      times.push(await measure(page, siteUrl));
    } finally {
      await page.close();
    }
  } finally {
    await services.stop();
  }
  return times;
}
