/**
 * The router worker's API, as the UI sees it (comlink): types only. The router worker loads no
 * TensorFlow.js, so the Routing panel answers before the models have loaded.
 */
import type { RouteExplanation, RouterJson } from "../ml/router";

/** A routed text, why, and which router decided. */
export interface RouteResult extends RouteExplanation {
  /** The shipped router, the Router lab's, or the one with an added language. */
  router: "shipped" | "lab" | "added";
}

/** Which router decides, when not the shipped one: the Router lab's or the one with an added language. */
export interface OtherRouter {
  source: "lab" | "added";
  json: RouterJson;
}

export interface RouterWorkerApi {
  /** Loads the tokenizer and the shipped router (once). */
  loadRouting(modelsUrl: string): Promise<void>;
  /** The router's decision for `text`, its class probabilities and per-token evidence. */
  route(text: string): Promise<RouteResult>;
  /** Routes with `other` from now on (the model worker trained it), or with the shipped router (null). */
  useRouter(other: OtherRouter | null): void;
  /** Throws outside any call, as a real crash would: for testing the page's recovery. */
  simulateCrash(): void;
}
