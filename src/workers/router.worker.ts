/**
 * The router worker: routes text as it is typed. It holds the tokenizer and the routers, and no
 * TensorFlow.js, so its script is small and the Routing panel answers before the models load.
 */

import { explainRoute, Router } from "../ml/router";
import type { BpeTokenizer } from "../ml/tokenizer";
import { simulateCrash } from "./liveness";
import { exposeWorkerApi } from "./problem-transfer";
import type { RouteResult, RouterWorkerApi } from "./router-types";
import { readManifest, readShippedRouting } from "./shipped-files";

let routing: Promise<{ tokenizer: BpeTokenizer; router: Router }> | null = null;
/** The Router lab's router or the one with an added language, when it routes instead. */
let other: { router: Router; source: "lab" | "added" } | null = null;

const api: RouterWorkerApi = {
  simulateCrash,

  async loadRouting(modelsUrl) {
    if (!routing) {
      routing = readManifest(modelsUrl).then((manifest) => readShippedRouting(modelsUrl, manifest));
      routing.catch(() => {
        routing = null;
      });
    }
    await routing;
  },

  useRouter(chosen) {
    other = chosen ? { router: Router.fromJSON(chosen.json), source: chosen.source } : null;
  },

  /** The router's decision for `text`, its class probabilities and its evidence. */
  async route(text: string): Promise<RouteResult> {
    if (!routing) throw new Error("routing is not loaded");
    const { tokenizer, router: shipped } = await routing;
    const router = other?.router ?? shipped;
    return { router: other?.source ?? "shipped", ...explainRoute(router, tokenizer, text) };
  },
};

exposeWorkerApi(api);
