/** Typed, supervised handles on the two workers. */
import type { BenchWorkerApi } from "../workers/bench-types";
import type { ModelWorkerApi } from "../workers/model-types";
import type { TrainWorkerApi } from "../workers/train-types";
import { WorkerSupervisor } from "./supervisor";

export type ModelWorker = WorkerSupervisor<ModelWorkerApi>;
export type TrainWorker = WorkerSupervisor<TrainWorkerApi>;
export type BenchWorker = WorkerSupervisor<BenchWorkerApi>;

export function startBenchWorker(onRestart: (reason: string) => void): BenchWorker {
  return new WorkerSupervisor<BenchWorkerApi>(
    () =>
      new Worker(new URL("../workers/bench.worker.ts", import.meta.url), {
        type: "module",
        name: "bench",
      }),
    "speed-check",
    onRestart,
  );
}

export function startModelWorker(onRestart: (reason: string) => void): ModelWorker {
  return new WorkerSupervisor<ModelWorkerApi>(
    () =>
      new Worker(new URL("../workers/model.worker.ts", import.meta.url), {
        type: "module",
        name: "model",
      }),
    "model",
    onRestart,
  );
}

export function startTrainWorker(onRestart: (reason: string) => void): TrainWorker {
  return new WorkerSupervisor<TrainWorkerApi>(
    () =>
      new Worker(new URL("../workers/train.worker.ts", import.meta.url), {
        type: "module",
        name: "train",
      }),
    "training",
    onRestart,
  );
}
