/** Typed handle on the model worker. */
import * as Comlink from "comlink";
import type { ModelWorkerApi } from "../workers/model.worker";

export type ModelWorker = Comlink.Remote<ModelWorkerApi>;

export function startModelWorker(): ModelWorker {
  const worker = new Worker(new URL("../workers/model.worker.ts", import.meta.url), {
    type: "module",
    name: "model",
  });
  return Comlink.wrap<ModelWorkerApi>(worker);
}
