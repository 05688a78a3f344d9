/** Typed handle on the model worker. */
import * as Comlink from "comlink";
import type { ModelWorkerApi } from "../workers/model.worker";

export function startModelWorker(): Comlink.Remote<ModelWorkerApi> {
  const worker = new Worker(new URL("../workers/model.worker.ts", import.meta.url), {
    type: "module",
    name: "model",
  });
  return Comlink.wrap<ModelWorkerApi>(worker);
}
