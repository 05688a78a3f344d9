/** Typed, supervised handles on the workers. */
import type { BenchWorkerApi } from "../workers/bench-types";
import type { ModelWorkerApi } from "../workers/model-types";
import type { RouterWorkerApi } from "../workers/router-types";
import type { TrainWorkerApi } from "../workers/train-types";
import { WorkerSupervisor } from "./supervisor";

export type ModelWorker = WorkerSupervisor<ModelWorkerApi>;
export type TrainWorker = WorkerSupervisor<TrainWorkerApi>;
export type BenchWorker = WorkerSupervisor<BenchWorkerApi>;
export type RouterWorker = WorkerSupervisor<RouterWorkerApi>;

/** A new worker of one kind (each URL written out, as Vite finds workers by `new Worker(new URL(…))`). */
function createWorker(kind: "router" | "model" | "train" | "bench"): Worker {
  switch (kind) {
    case "router":
      return new Worker(new URL("../workers/router.worker.ts", import.meta.url), {
        type: "module",
        name: "router",
      });
    case "model":
      return new Worker(new URL("../workers/model.worker.ts", import.meta.url), {
        type: "module",
        name: "model",
      });
    case "train":
      return new Worker(new URL("../workers/train.worker.ts", import.meta.url), {
        type: "module",
        name: "train",
      });
    case "bench":
      return new Worker(new URL("../workers/bench.worker.ts", import.meta.url), {
        type: "module",
        name: "bench",
      });
  }
}

export const startRouterWorker = (onRestart: (reason: string) => void): RouterWorker =>
  new WorkerSupervisor(() => createWorker("router"), "router", onRestart);

export const startModelWorker = (onRestart: (reason: string) => void): ModelWorker =>
  new WorkerSupervisor(() => createWorker("model"), "model", onRestart);

export const startTrainWorker = (onRestart: (reason: string) => void): TrainWorker =>
  new WorkerSupervisor(() => createWorker("train"), "training", onRestart);

export const startBenchWorker = (onRestart: (reason: string) => void): BenchWorker =>
  new WorkerSupervisor(() => createWorker("bench"), "speed-check", onRestart);
