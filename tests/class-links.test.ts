/** Class links: locked controls are refused by the store itself; bad lists fall back with a notice. */

import { afterEach, describe, expect, it, vi } from "vitest";
import { parseControls, studentSettings } from "../src/app/class-links";
import { translate } from "../src/app/i18n";
import { say } from "../src/app/i18n/message";
import { defaultSettings, parseSettings, serializeSettings } from "../src/app/settings";
import { appStoreFor as storeFor } from "./helpers";

afterEach(() => vi.unstubAllGlobals());

describe("class links", () => {
  it("makes the store refuse changes to a locked setting, from any caller", () => {
    const store = storeFor("?lock=temperature,panel&temperature=1.2&panel=compare");
    const state = store.getState();
    state.setSetting("temperature", 0.3);
    state.setSetting("panel", "train");
    state.goToLessonStep(4); // a lesson step that would open another tab
    state.setSetting("topK", 7); // not locked
    expect(store.getState().settings).toMatchObject({
      temperature: 1.2,
      panel: "compare",
      topK: 7,
    });
    expect(store.getState().linkProblems).toEqual([]);
  });

  it("keeps a locked text: routing another text (an example) is refused", () => {
    const store = storeFor("?lock=text&text=Guten%20Tag");
    store.getState().route("Bonjour");
    expect(store.getState().settings.text).toBe("Guten Tag");
  });

  it("drops unknown or hostile control names with the link notice", () => {
    const store = storeFor("?lock=temperature,<img>,__proto__&hide=prompt,lock");
    expect(store.getState().settings.lock).toBe("temperature");
    expect(store.getState().settings.hide).toBe("prompt");
    expect(store.getState().linkProblems.map((m) => say(translate, m))).toEqual([
      '"lock" names an unknown control "<img>"; it is ignored',
      '"lock" names an unknown control "__proto__"; it is ignored',
      '"hide" names an unknown control "lock"; it is ignored',
    ]);
    expect(parseControls("seed,seed", "lock").controls).toEqual(["seed"]);
  });

  it("writes a student link that carries the settings, the lists and a locked seed", () => {
    const settings = { ...defaultSettings(), panel: "train" as const, seed: 42, lesson: 3 };
    const link = serializeSettings(studentSettings(settings, ["steps"], ["kdLoss"]));
    const back = parseSettings(link);
    expect(back.problems).toEqual([]);
    expect(back.settings).toMatchObject({
      panel: "train",
      seed: 42,
      lock: "steps,seed",
      hide: "kdLoss",
      lesson: 0,
    });
  });
});

describe("a router that failed to load", () => {
  it("loads again on Retry, and routes the text once it has", async () => {
    let loads = 0;
    const routed: string[] = [];
    const store = storeFor("?text=Guten%20Tag", {
      loadRouting: async () => {
        if (++loads === 1) throw new Error("tokenizer.json: HTTP 500 (after 3 tries)");
      },
      route: async (text: string) => {
        routed.push(text);
        return { label: "de" };
      },
    });
    await store.getState().start();
    expect(store.getState().routing).toEqual({
      state: "error",
      message: "the router could not load: tokenizer.json: HTTP 500 (after 3 tries)",
      routerFailed: true,
    });
    await store.getState().retryRouting();
    await vi.waitFor(() => expect(store.getState().routing.state).toBe("ready"));
    // The router worker's two loads, and the model worker's one (here both answer with one API).
    expect(loads).toBe(3);
    expect(routed).toEqual(["Guten Tag"]);
  });
});
