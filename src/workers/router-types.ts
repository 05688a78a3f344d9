/**
 * The router worker's API, as the UI sees it (comlink): types only. The router worker loads no
 * TensorFlow.js, so the Routing panel answers before the models have loaded.
 */
import type { Feature, FeatureSet, Push, RouterJson } from "../ml/router";

export interface RouteResult {
  /** Which router decided: the shipped one, the Router lab's, or the one with an added language. */
  router: "shipped" | "lab" | "added";
  /** The class that takes the text (a class id, or "none": the common expert takes it). */
  label: string;
  /** The most probable class, before the "none of these" threshold. */
  top: string;
  probs: Record<string, number>;
  /** The router file's classes, in order. */
  classes: { id: string; name: string; expert: string | null }[];
  features: FeatureSet;
  noneThreshold: number;
  /**
   * How much the token features, the character n-grams, the line layout and the scripts of the
   * letters (zeros for a router without them) each pushed toward every class.
   */
  byKind: { tokens: Push; chars: Push; lines: Push; scripts: Push };
  /** Whether the router reads the line layout. */
  lineLayout: boolean;
  /** Whether the router reads the scripts of the letters. */
  scripts: boolean;
  /** The five features that pushed hardest toward `top`. */
  strongest: Feature[];
  /**
   * Each token's text and how much it pushed toward each class (relative to the mean): its token
   * feature and the character n-grams starting inside it.
   */
  tokens: { position: number; text: string; push: Push }[];
  /**
   * Left out of what the router read: emoji (they say nothing of a language) and characters that
   * code quotes or comments in another script.
   */
  leftOut: { emoji: number; quoted: number };
  /** Token count of the whole text, and how many of them `tokens` covers. */
  totalTokens: number;
  shownTokens: number;
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
