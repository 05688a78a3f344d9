/**
 * The router worker: routes text as it is typed. It holds the tokenizer and the routers, and no
 * TensorFlow.js, so its script is small and the Routing panel answers before the models load.
 */
import * as Comlink from "comlink";
import { Router, routerReading } from "../ml/router";
import type { BpeTokenizer } from "../ml/tokenizer";
import { simulateCrash } from "./liveness";
import type { RouteResult, RouterWorkerApi } from "./router-types";
import { readManifest, readShippedRouting } from "./shipped-files";

/** Routing shows at most this many tokens' evidence (the prediction still reads the whole text). */
const MAX_EVIDENCE_TOKENS = 1500;

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
    const reading = routerReading(text);
    const ids = tokenizer.encode(reading.read);
    const input = { ids, text: reading.read };
    const prediction = router.predict(input);
    const { label, top, probs } = prediction;
    const shown = ids.slice(0, MAX_EVIDENCE_TOKENS);
    const evidence = router.evidence({ ids: shown });
    const chars = router.charEvidence(input);
    // Evidence of the tokens that together form one piece is summed, with the n-grams that start
    // inside the piece's characters.
    let offset = 0;
    const tokens = tokenizer.pieces(shown).map(({ start, end, text: piece }) => {
      const push = { ...evidence[start].push };
      for (let i = start + 1; i < end; i++)
        for (const c of router.classes) push[c.id] += evidence[i].push[c.id];
      for (const at of chars.slice(offset, offset + piece.length))
        for (const c of router.classes) push[c.id] += at.push[c.id];
      offset += piece.length;
      return { position: start, text: piece, push };
    });
    // A byte-level token can hold part of a character, which decodes to U+FFFD alone.
    const tokenText = (id: number) => {
      const text = tokenizer.decode([id]);
      return text.includes("\uFFFD") ? "(part of a character)" : text;
    };
    const explained = router.strongestFeatures(input, top, 5, tokenText);
    return {
      router: other?.source ?? "shipped",
      label,
      top,
      probs,
      classes: router.classes.map(({ id, name, expert }) => ({ id, name, expert })),
      features: router.features,
      noneThreshold: prediction.noneThreshold,
      byKind: router.evidenceByKind(input),
      lineLayout: router.readsLineLayout,
      scripts: router.readsScripts,
      strongest: explained,
      tokens,
      leftOut: { emoji: reading.emoji, quoted: reading.quoted },
      totalTokens: ids.length,
      shownTokens: shown.length,
    };
  },
};

Comlink.expose(api);
