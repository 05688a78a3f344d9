/**
 * Problems a person can cause carry a code from src/ml to the page, across a worker's messages,
 * and are worded there in the reader's language (the CLI keeps the English message).
 */
import * as Comlink from "comlink";
import i18next from "i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { whyOf } from "../src/app/i18n/problems";
import { configFromGpt2 } from "../src/ml/export/gpt2";
import { readSafetensors } from "../src/ml/export/safetensors";
import { fetchBytes } from "../src/ml/fetch";
import { PROBLEM_CODES, ProblemError, problemOf } from "../src/ml/problems";
import { exposeWorkerApi, keepProblemsAcrossWorkers } from "../src/workers/problem-transfer";

afterEach(async () => {
  vi.unstubAllGlobals();
  await i18next.changeLanguage("en");
});

/** What `fn` throws (or rejects with). */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("nothing was thrown");
}

describe("problems", () => {
  it("are thrown by src/ml with a code, values and the English message", async () => {
    const llama = await thrown(() => configFromGpt2({ model_type: "llama" }));
    expect(problemOf(llama)).toEqual({
      code: "gpt2Config",
      values: { field: "model_type", value: '"llama"', needed: '"gpt2"' },
    });
    expect((llama as Error).message).toMatch(/only "gpt2" can be imported/);
    expect(problemOf(await thrown(() => readSafetensors(new Uint8Array(4))))?.code).toBe(
      "safetensorsHeader",
    );
    vi.stubGlobal("fetch", async () => new Response("", { status: 503 }));
    const busy = await thrown(() => fetchBytes("http://x/a", { retryDelayMs: 1 }));
    expect(problemOf(busy)).toEqual({ code: "httpStatus", values: { status: 503, tries: 3 } });
  });

  it("keep their code across a worker's messages (Comlink), other errors their message", async () => {
    const { port1, port2 } = new MessageChannel();
    const api = {
      refuse(): never {
        throw new ProblemError("textTooShort", { tokens: 12, least: 200 }, "too short");
      },
      fail(): never {
        throw new TypeError("plain");
      },
    };
    exposeWorkerApi(api, port1);
    keepProblemsAcrossWorkers();
    const remote = Comlink.wrap<typeof api>(port2);
    const refused = await thrown(() => remote.refuse());
    expect(refused).toBeInstanceOf(ProblemError);
    expect(problemOf(refused)).toEqual({
      code: "textTooShort",
      values: { tokens: 12, least: 200 },
    });
    const failed = await thrown(() => remote.fail());
    expect(problemOf(failed)).toBeNull();
    expect((failed as Error).message).toBe("plain");
    port1.close();
    port2.close();
  });

  it("are worded in the reader's language, with where and how often", async () => {
    const problem = new ProblemError("httpStatus", { status: 404, tries: 3 }, "HTTP 404").at(
      "teacher/model.json",
    );
    expect(whyOf(problem)).toBe("teacher/model.json: the server answered HTTP 404 (after 3 tries)");
    await i18next.changeLanguage("fr");
    expect(whyOf(problem)).toBe(
      "teacher/model.json : le serveur a répondu HTTP 404 (après 3 essais)",
    );
    const tooLarge = new ProblemError("textTooLarge", { megabytes: 5.3, most: 5 }, "5.3 MB");
    expect(whyOf(tooLarge)).toBe("le texte fait 5,3 Mo ; le maximum est de 5 Mo");
    await i18next.changeLanguage("de");
    expect(whyOf(new Error("plain"))).toBe("plain");
    // Every code is worded in every language (a missing key would show as the key itself).
    for (const language of ["en", "fr", "de"]) {
      await i18next.changeLanguage(language);
      for (const code of PROBLEM_CODES)
        expect(whyOf(new ProblemError(code, {}, code)), `${language} ${code}`).not.toMatch(
          /^error\./,
        );
    }
  });
});
