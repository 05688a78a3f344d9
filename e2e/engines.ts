/**
 * Firefox ESR (puppeteer-core over WebDriver BiDi) and WebKitGTK (WebKitWebDriver and its
 * MiniBrowser under Xvfb, driven by selenium-webdriver) behind one small interface, so one smoke
 * suite runs in both. Every driver call is bounded: a call caught by the service worker's reload
 * can otherwise hang for ever in Firefox. Page actions run as small in-page functions (see `dom`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import puppeteer from "puppeteer-core";
import { Builder, type WebDriver } from "selenium-webdriver";
import { launchChromium } from "./browser";

export type Engine = "chromium" | "firefox" | "webkit";

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr";
export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH ?? "/usr/bin/WebKitWebDriver";
const MINIBROWSER_PATH =
  process.env.MINIBROWSER_PATH ?? "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
const XVFB_PATH = "/usr/bin/Xvfb";

/** How long one driver call may take before the test fails with what it was doing. */
const CALL_MS = 15_000;

/** A browser with one page, opened fresh (a new profile: no service worker, no cache). */
export interface EnginePage {
  engine: Engine;
  goto(url: string): Promise<void>;
  /** Runs `fn(...args)` in the page; its result must be JSON. */
  run<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
  reload(): Promise<void>;
  /** Uncaught errors (and, in Firefox, console errors) the page reported so far. */
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function bounded<T>(promise: Promise<T>, what: string, ms = CALL_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `fn(...args)` in the page until it returns a truthy value (returned), failing after
 * `timeoutMs` with `what`. A poll that fails (the page is reloading) is simply tried again.
 */
export async function waitFor<A extends unknown[], R>(
  page: EnginePage,
  what: string,
  timeoutMs: number,
  fn: (...args: A) => R,
  ...args: A
): Promise<NonNullable<Awaited<R>>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await page.run(fn, ...args);
      if (value) return value;
      last = value;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > deadline) {
      const shown = await page.run(dom.body).catch((e: Error) => `(unreadable: ${e.message})`);
      throw new Error(
        `${page.engine}: ${what} not seen in ${timeoutMs / 1000} s (last: ${last}); the page shows:\n${shown.slice(0, 1500)}`,
      );
    }
    await sleep(250);
  }
}

/**
 * A fresh Firefox (a new profile) with one page; `preload(...args)`, if given, runs in every
 * document before the page's own scripts (it is serialised: it must be self-contained).
 */
export async function openFirefox<A extends unknown[]>(
  preload?: (...args: A) => void,
  ...args: A
): Promise<EnginePage> {
  if (!existsSync(FIREFOX_PATH))
    throw new Error(`Firefox not found at ${FIREFOX_PATH}: "apt-get install -y firefox-esr"`);
  const browser = await bounded(
    puppeteer.launch({
      browser: "firefox",
      executablePath: FIREFOX_PATH,
      headless: true,
      protocol: "webDriverBiDi",
    }),
    "starting Firefox",
    60_000,
  );
  const page = await bounded(browser.newPage(), "opening a Firefox page");
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`uncaught: ${(e as Error).message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
    if (process.env.ENGINE_CONSOLE) console.log(`firefox console.${m.type()}: ${m.text()}`);
  });
  if (preload)
    await bounded(
      page.evaluateOnNewDocument(preload as never, ...(args as unknown as never[])),
      "adding a preload script",
    );
  return {
    engine: "firefox",
    async goto(url) {
      await bounded(page.goto(url, { waitUntil: "load" }), `opening ${url}`, 60_000);
    },
    run: (fn, ...args) =>
      bounded(
        page.evaluate(fn as never, ...(args as unknown as never[])) as never,
        "running in the page",
      ),
    async reload() {
      await bounded(page.reload({ waitUntil: "load" }), "reloading", 60_000);
    },
    errors: async () => errors,
    async close() {
      await bounded(browser.close(), "closing Firefox", 30_000).catch(() => {
        browser.process()?.kill("SIGKILL");
      });
    },
  };
}

/** Chromium (playwright-core, the flags of e2e/browser.ts) behind the same interface. */
export async function openChromium(): Promise<EnginePage> {
  const browser = await bounded(launchChromium(), "starting Chromium", 60_000);
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return {
    engine: "chromium",
    async goto(url) {
      await bounded(page.goto(url), `opening ${url}`, 60_000);
    },
    run: (fn, ...args) => {
      if (args.length > 1) throw new Error("Chromium's pages take one argument");
      return bounded(page.evaluate(fn as never, args[0]) as never, "running in the page");
    },
    async reload() {
      await bounded(page.reload(), "reloading", 60_000);
    },
    errors: async () => errors,
    async close() {
      await bounded(browser.close(), "closing Chromium", 30_000).catch(() => undefined);
    },
  };
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/** Xvfb and WebKitWebDriver, started once per test file and stopped after it. */
export interface WebKitServices {
  url: string;
  stop(): Promise<void>;
}

export async function startWebKitServices(): Promise<WebKitServices> {
  for (const [path, pkg] of [
    [WEBKIT_DRIVER_PATH, "webkit2gtk-driver"],
    [XVFB_PATH, "xvfb"],
  ])
    if (!existsSync(path)) throw new Error(`${path} not found: "apt-get install -y ${pkg}"`);
  const children: ChildProcess[] = [];
  // A display number of our own, so parallel runs never share one.
  const display = `:${90 + Math.floor(Math.random() * 400)}`;
  children.push(
    spawn(XVFB_PATH, [display, "-screen", "0", "1400x1000x24", "-nolisten", "tcp"], {
      stdio: "ignore",
    }),
  );
  const port = await freePort();
  children.push(
    // A process group of its own, so stopping it stops the browsers it started too.
    spawn(WEBKIT_DRIVER_PATH, [`--port=${port}`], {
      env: { ...process.env, DISPLAY: display },
      stdio: "ignore",
      detached: true,
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  // Ready when it answers /status.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ready = await fetch(`${url}/status`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error("WebKitWebDriver did not start in 20 s");
    await sleep(200);
  }
  return {
    url,
    async stop() {
      for (const child of children) {
        try {
          if (child.pid) process.kill(-child.pid, "SIGKILL");
        } catch {
          child.kill("SIGKILL"); // not a group leader (Xvfb)
        }
      }
    },
  };
}

/**
 * Records the page's uncaught errors and rejections in session storage (kept over reloads). Classic
 * WebDriver has no preload scripts and MiniBrowser under automation prints no console, so WebKit
 * installs this before each command: errors from before the first command of a page are missed.
 */
const RECORD_ERRORS = `if (!window.__recordingErrors) {
  window.__recordingErrors = true;
  const push = (message) => sessionStorage.setItem("engine-test-errors",
    JSON.stringify([...JSON.parse(sessionStorage.getItem("engine-test-errors") ?? "[]"), message]));
  addEventListener("error", (e) => push("uncaught: " + e.message));
  addEventListener("unhandledrejection", (e) => push("unhandled rejection: " + e.reason));
}`;

export async function openWebKit(services: WebKitServices): Promise<EnginePage> {
  const driver: WebDriver = await bounded(
    new Builder()
      .usingServer(services.url)
      .withCapabilities({
        browserName: "MiniBrowser",
        "webkitgtk:browserOptions": {
          binary: MINIBROWSER_PATH,
          args: ["--automation"],
        },
      })
      .build(),
    "starting WebKit",
    60_000,
  );
  return {
    engine: "webkit",
    async goto(url) {
      await bounded(driver.get(url), `opening ${url}`, 60_000);
    },
    run: (fn, ...args) =>
      bounded(
        driver.executeScript(
          `${RECORD_ERRORS}; return (${fn.toString()}).apply(null, arguments)`,
          ...args,
        ),
        "running in the page",
      ) as never,
    async reload() {
      await bounded(driver.navigate().refresh(), "reloading", 60_000);
    },
    errors: () =>
      bounded(
        driver.executeScript<string[]>(
          `return JSON.parse(sessionStorage.getItem("engine-test-errors") ?? "[]")`,
        ),
        "reading the page's errors",
      ),
    async close() {
      await bounded(driver.quit(), "closing WebKit", 30_000).catch(() => undefined);
    },
  };
}

/** The Compute backend line once TensorFlow.js has started ("Running on …"). */
export const backendLine = (page: EnginePage): Promise<string> =>
  waitFor(page, "the backend line", 60_000, () => {
    const line = document.querySelector('[aria-label="Compute backend"]')?.textContent ?? "";
    return line.startsWith("Running on") ? line : null;
  });

/**
 * In-page helpers, each self-contained (they are serialised into the page). Names are accessible
 * names as a person hears them: aria-label, else the visible text. Arrow functions, as a method's
 * source (`click(name) {…}`) is no expression.
 */
export const dom = {
  /** Clicks the enabled button named `name`; false if there is none (yet). */
  click: (name: string): boolean => {
    const buttons = [...document.querySelectorAll<HTMLButtonElement>("button, [role=tab]")];
    const button = buttons.find(
      (b) => (b.getAttribute("aria-label") ?? b.textContent ?? "").trim() === name && !b.disabled,
    );
    button?.click();
    return button !== undefined;
  },
  /** The text of the element labelled `label` (aria-label), or null. */
  text: (label: string): string | null =>
    document.querySelector(`[aria-label="${label}"]`)?.textContent ?? null,
  /** Whether the page is cross-origin isolated and fully loaded. */
  isolated: (): boolean => crossOriginIsolated && document.readyState === "complete",
  /** The page's whole visible text. */
  body: (): string => document.body.innerText,
};
