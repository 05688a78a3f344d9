/** Typed, supervised handles on the workers. */
import type { BenchWorkerApi } from "../workers/bench-types";
import type { ModelWorkerApi } from "../workers/model-types";
import type { TrainWorkerApi } from "../workers/train-types";
import { WorkerSupervisor } from "./supervisor";

export type ModelWorker = WorkerSupervisor<ModelWorkerApi>;
export type TrainWorker = WorkerSupervisor<TrainWorkerApi>;
export type BenchWorker = WorkerSupervisor<BenchWorkerApi>;

/** A new worker of one kind (each URL written out, as Vite finds workers by `new Worker(new URL(…))`). */
function createWorker(kind: "model" | "train" | "bench"): Worker {
  switch (kind) {
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

export const startModelWorker = (onRestart: (reason: string) => void): ModelWorker =>
  new WorkerSupervisor(() => createWorker("model"), "model", onRestart);

export const startTrainWorker = (onRestart: (reason: string) => void): TrainWorker =>
  new WorkerSupervisor(() => createWorker("train"), "training", onRestart);

export const startBenchWorker = (onRestart: (reason: string) => void): BenchWorker =>
  new WorkerSupervisor(() => createWorker("bench"), "speed-check", onRestart);
