/** Typed handle on the training worker. */
import * as Comlink from "comlink";
import type { TrainWorkerApi } from "../workers/train.worker";

export function startTrainWorker(): Comlink.Remote<TrainWorkerApi> {
  const worker = new Worker(new URL("../workers/train.worker.ts", import.meta.url), {
    type: "module",
    name: "train",
  });
  return Comlink.wrap<TrainWorkerApi>(worker);
}
