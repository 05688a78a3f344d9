import { vi } from "vitest";
import { createAppStore } from "../src/app/store";
import type { BenchWorker, ModelWorker, RouterWorker, TrainWorker } from "../src/app/worker-client";
import { selectBackend } from "../src/ml/backend";
import type { BackendName } from "../src/ml/backend-names";
import { generate } from "../src/ml/generate";
import type { GPT, GPTConfig } from "../src/ml/gpt";

export async function useBackend(name: BackendName): Promise<void> {
  const choice = await selectBackend([name]);
  if (choice.name !== name) throw new Error(`could not select ${name}`);
}

/** Our greedy continuation of `prompt` (the CLI's generate --temperature 0), stopping at <eos>. */
export async function greedyIds(model: GPT, prompt: number[], maxNewTokens: number) {
  const ids: number[] = [];
  const options = { maxNewTokens, temperature: 0, topK: 0, topP: 1, seed: 0, stopOnEos: true };
  for await (const t of generate(model, prompt, options)) ids.push(t.id);
  return ids;
}

export const TINY: GPTConfig = {
  vocabSize: 300,
  contextLength: 16,
  dModel: 16,
  nLayers: 2,
  nHeads: 2,
  tiedHead: true,
};

/**
 * The app's whole store for a page opened with `search`, its workers answering with `modelApi`
 * (missing methods resolve undefined); history and location are stubbed (undo: vi.unstubAllGlobals).
 */
export function appStoreFor(search: string, modelApi: Record<string, unknown> = {}) {
  vi.stubGlobal("history", { replaceState: () => {} });
  vi.stubGlobal("location", {
    origin: "http://site",
    pathname: "/",
    search: "",
    hash: "",
    href: "http://site/",
  });
  const call = async (fn: (api: unknown) => Promise<unknown>) =>
    fn(new Proxy(modelApi, { get: (api, key) => api[key as string] ?? (async () => undefined) }));
  const worker = {
    api: modelApi,
    call,
    startup: (_what: string, fn: Parameters<typeof call>[0]) => call(fn),
  };
  return createAppStore(
    {
      router: worker as unknown as RouterWorker,
      models: worker as unknown as ModelWorker,
      training: worker as unknown as TrainWorker,
      bench: () => worker as unknown as BenchWorker,
    },
    { base: "http://site/", models: "http://site/models/", corpus: (l) => `http://site/${l}.txt` },
    search,
  );
}
