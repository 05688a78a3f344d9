/** The app's faults, each answered by a named test, and the generated-input properties. */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./harness";

/** Faults of the app, checked by its unit and browser tests (their assertions are the outcome). */
export const APP_CASES: { what: string; expected: string; file: string; test: string }[] = [
  {
    what: "Stop pressed while a run prepares (a teacher download that never ends)",
    expected: "the run stops at once, untrained, marked stopped while preparing",
    file: "tests/store-slices.test.ts",
    test: "stops a run while it prepares (a teacher download that never ends), and trains nothing",
  },
  {
    what: "a student zip loaded while that student generates",
    expected:
      "the running generation finishes with the model it started with; the next one uses the new student",
    file: "e2e/training.test.ts",
    test: "loads a downloaded student into Teacher vs student in a new tab, and refuses a file that is not one",
  },
  {
    what: "a model file answers 500 or a network error, then recovers",
    expected: "the download is retried; a router that still fails gets a Retry button",
    file: "tests/fetch.test.ts",
    test: "tries again after a 500 and a network error, and returns the bytes",
  },
  {
    what: "a model file download that stops sending bytes",
    expected: "cut after 20 s without a byte, retried, then an error naming the stall",
    file: "tests/fetch.test.ts",
    test: "cuts a download that stops sending bytes, and retries it",
  },
  {
    what: "a student zip with a damaged shard, a missing file, or its files in a sub-folder",
    expected:
      "damaged or missing: refused, naming the file; a sub-folder loads; no checksums loads with a warning",
    file: "tests/student-zip.test.ts",
    test: "checks every file against sha256.json and names a damaged one",
  },
  {
    what: "a good text, then a refused one",
    expected: "nothing stays selected: training asks for a text",
    file: "tests/store-slices.test.ts",
    test: "forgets the text in use when a later one is refused, so training can't go on with it",
  },
  {
    what: "a later run, a stopped run, or a crash after a run finished",
    expected: "each run keeps its own student; Download and Use act on the chosen run",
    file: "tests/store-slices.test.ts",
    test: "keeps every finished or stopped run's student: download acts on the chosen run, even after a later run or a crash",
  },
  {
    what: "a reload after runs finished (on WebGPU and WASM)",
    expected: "finished runs and their students come back; Clear saved runs forgets them",
    file: "e2e/classroom.test.ts",
    test: "on %s: keeps a finished run and its student across a reload, and clears saved runs",
  },
  {
    what: "leaving the page while a run trains",
    expected: "the browser asks first; not once the run has stopped",
    file: "e2e/classroom.test.ts",
    test: "warns before leaving while a run trains, and not once it has stopped",
  },
  {
    what: "5,000 characters of Cyrillic in a shared link; a damaged compressed link",
    expected: "compressed under 8 kB; a damaged one falls back with the notice",
    file: "tests/settings.test.ts",
    test: "sends a long query compressed, sized by bytes, and reads it back unchanged",
  },
  {
    what: "a class link with unknown or hostile lock/hide names; a change to a locked control",
    expected: "the names are dropped with the notice; the store refuses the change",
    file: "tests/class-links.test.ts",
    test: "makes the store refuse changes to a locked setting, from any caller",
  },
  {
    what: "the model worker crashes",
    expected: "it restarts and says so; the user's text and settings stay",
    file: "e2e/recovery.test.ts",
    test: "restarts the model worker, says so, and keeps the user's text and settings",
  },
  {
    what: "the WebGPU device is lost",
    expected: "the worker restarts; the text stays; routing and generation work again",
    file: "e2e/recovery.test.ts",
    test: "recovers from a lost WebGPU device: restarts the worker, keeps the text, routes and generates again",
  },
  {
    what: "the training worker crashes mid-run",
    expected: "finished runs stay; a new run trains",
    file: "e2e/recovery.test.ts",
    test: "keeps finished training runs when the training worker crashes mid-run, and trains again",
  },
  {
    what: "the connection lost before the page's own script was saved for offline use",
    expected: "offline, a page that says the app was not fully saved, with Try again; never blank",
    file: "e2e/offline.test.ts",
    test: "says it is offline and not fully saved, rather than a blank page, when the cache is half filled",
  },
  {
    what: "a model shard request that never answers, while Teacher vs student loads",
    expected:
      "the status counts the seconds without data; Stop cancels at once; Generate works again",
    file: "e2e/compare.test.ts",
    test: "shows a model download that never answers, and cancels it: Stop ends the loading, and Generate works again",
  },
  {
    what: "a request that ignores its abort; a cancel during the pause before a retry",
    expected: "the download ends at once as cancelled, never retried",
    file: "tests/fetch.test.ts",
    test: "cancels at once on its signal, even a request that ignores the abort, and never retries",
  },
  {
    what: "a 320-pixel screen, with a long unbroken token run routed",
    expected: "no tab is wider than the screen",
    file: "e2e/site.test.ts",
    test: "fits a 320-pixel screen: no tab is wider, even with routed text and the About table",
  },
  {
    what: "Copy link where the clipboard refuses",
    expected: "says it could not copy and shows the link selected in a field",
    file: "e2e/sharing.test.ts",
    test: "shows the link in a selectable field when the clipboard refuses, instead of 'Link copied.'",
  },
  {
    what: "256 tokens with 128-token models (past the context window)",
    expected: "both models slide the window; the KL stays finite",
    file: "tests/generate.test.ts",
    test: "reads the KL between two models along any length, sliding by half a window past the context",
  },
  {
    what: "a model.json that is null, of the wrong shape, or refused at its last parameter",
    expected: "refused by name (a JSON schema); no tensor leaks",
    file: "tests/gpt.test.ts",
    test: "refuses a damaged model.json by name, and a refused file leaks no tensor",
  },
  {
    what: "a hostile link (markup, out-of-range and unknown settings)",
    expected: "the defaults for what it gets wrong, with a notice; no injected markup",
    file: "e2e/routing.test.ts",
    test: "falls back to defaults on a hostile link, with a notice and no injected markup",
  },
];

/** Generated inputs (fast-check, tests/properties.test.ts): each property meets this many. */
export const PROPERTY_RUNS = 1000;

export const PROPERTY_CASES: { what: string; expected: string; file: string; test: string }[] = [
  {
    what: "every valid value of every link setting, texts up to 5,000 code points (compressed links)",
    expected: "the link opens the same settings, with no notice",
    test: "every valid setting survives a link unchanged, compressed or not",
  },
  {
    what: "hostile queries: random text, known and unknown keys with odd numbers, damaged z=",
    expected: "never throws; only valid values; each problem named; written back unchanged",
    test: "a hostile link never throws and leaves only valid values, each problem named",
  },
  {
    what: "any text (all of Unicode, specials as literals, long pastes) through the shipped tokenizer",
    expected: "round-trips exactly; ids in the vocabulary; equal to the Hugging Face tokenizer",
    test: "any text round-trips, with ids of the vocabulary and the Hugging Face tokenizer's ids",
  },
  {
    what: "route input lines: JSON texts, other JSON, not JSON",
    expected:
      "one output per line: a route with finite probabilities summing to 1, or an error naming the line",
    test: "every input line gets one output line: a route with finite probabilities, or an error naming the line",
  },
  {
    what: "a student zip with flipped, cut or inserted bytes, or random bytes",
    expected: "loads the saved student byte for byte, or a clear error; no tensor leaks",
    test: "a damaged zip loads exactly the saved student, or is refused with a clear message",
  },
  {
    what: "a zip without checksums whose model.json is any JSON or damaged text",
    expected: "a valid model or a clear error; no tensor leaks",
    test: "a zip without checksums whose model.json is damaged loads a valid model or says why not",
  },
].map((c) => ({ ...c, file: "tests/properties.test.ts" }));

/** The cases whose named test is missing from its file (the lists above must not drift). */
export function missingAppCases(): string[] {
  return [...APP_CASES, ...PROPERTY_CASES]
    .filter((c) => !readFileSync(join(ROOT, c.file), "utf8").includes(JSON.stringify(c.test)))
    .map((c) => `${c.file}: "${c.test}"`);
}
