/**
 * Training checkpoints: the model (tfjs weights format), Adam's moments and the loop's state, so a
 * stopped run continues exactly where it was. Files: model.json + shards, optimizer.bin,
 * checkpoint.json.
 */
import * as tf from "@tensorflow/tfjs";
import type { GPT } from "./gpt";
import type { ReadFile } from "./manifest";
import type { TrainOptions, TrainState } from "./train";
import { loadGpt, serializeGpt } from "./weights";

interface CheckpointJson {
  format: "mome-checkpoint";
  version: 1;
  step: number;
  rngState: number;
  optimizerSpecs: tf.io.WeightsManifestEntry[];
  /** Anything the caller wants back on resume (e.g. the run's settings, metrics so far). */
  meta: Record<string, unknown>;
}

export async function serializeCheckpoint(
  model: GPT,
  state: TrainState,
  meta: Record<string, unknown>,
): Promise<Map<string, Uint8Array>> {
  const files = await serializeGpt(model);
  const { data, specs } = await tf.io.encodeWeights(state.optimizer);
  files.set("optimizer.bin", new Uint8Array(data));
  const json: CheckpointJson = {
    format: "mome-checkpoint",
    version: 1,
    step: state.step,
    rngState: state.rngState,
    optimizerSpecs: specs,
    meta,
  };
  files.set("checkpoint.json", new TextEncoder().encode(`${JSON.stringify(json)}\n`));
  return files;
}

/** The model and the state to pass as `resume`; the caller disposes `state.optimizer` tensors. */
export async function loadCheckpoint(
  read: ReadFile,
): Promise<{ model: GPT; state: TrainState; meta: Record<string, unknown> }> {
  const json = JSON.parse(
    new TextDecoder().decode(await read("checkpoint.json")),
  ) as CheckpointJson;
  if (json.format !== "mome-checkpoint" || json.version !== 1)
    throw new Error("checkpoint.json is not a mome-checkpoint v1");
  const model = await loadGpt(read);
  const bytes = await read("optimizer.bin");
  const tensors = tf.io.decodeWeights(bytes.slice().buffer, json.optimizerSpecs);
  const optimizer = json.optimizerSpecs.map((spec) => ({
    name: spec.name,
    tensor: tensors[spec.name],
  }));
  return { model, state: { step: json.step, rngState: json.rngState, optimizer }, meta: json.meta };
}

/** Where one run's checkpoint is kept: a folder for the CLI, any other store elsewhere. */
export interface CheckpointStore {
  /** Names the place, for messages. */
  readonly where: string;
  load(): Promise<Awaited<ReturnType<typeof loadCheckpoint>> | null>;
  save(model: GPT, state: TrainState, meta: Record<string, unknown>): Promise<void>;
}

export interface CheckpointedRun {
  model: GPT;
  /** The step the run resumes at, or null for a fresh start. */
  resumedAt: number | null;
  /** The settings the run goes on with (and its checkpoints are written with). */
  settings: unknown;
  /** For `train()`'s options: where to resume, and a checkpoint every `every` steps. */
  trainOptions: Pick<TrainOptions, "resume" | "checkpointEvery" | "onCheckpoint">;
  /** Frees the restored optimizer state: call once training has ended. */
  release(): void;
}

/**
 * A run that resumes from the store's checkpoint when it was written with the same `settings`
 * (a checkpoint of other settings is refused), else starts from `fresh()`. Every `every` steps
 * `beforeSave` runs (e.g. to log extra metrics), then the checkpoint is saved.
 * With `continues`, a checkpoint written with `continues.from` (a shorter run) or `continues.as`
 * resumes too, and the run goes on as `continues.as`, so that the extension is on record.
 */
export async function checkpointedRun(
  store: CheckpointStore,
  settings: unknown,
  fresh: () => Promise<GPT> | GPT,
  every: number,
  beforeSave?: (state: TrainState, model: GPT) => Promise<void>,
  continues?: { from: unknown; as: unknown },
): Promise<CheckpointedRun> {
  const restored = await store.load();
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const saved = restored?.meta.settings;
  const extending =
    restored !== null &&
    continues !== undefined &&
    (same(saved, continues.from) || same(saved, continues.as));
  const written = extending ? continues.as : settings;
  if (restored && !extending && !same(saved, settings)) {
    restored.model.dispose();
    tf.dispose(restored.state.optimizer.map((w) => w.tensor));
    throw new Error(
      `the checkpoint in ${store.where} was written with other settings: start afresh elsewhere, or delete it`,
    );
  }
  const model = restored?.model ?? (await fresh());
  return {
    model,
    resumedAt: restored?.state.step ?? null,
    settings: written,
    trainOptions: {
      resume: restored?.state,
      checkpointEvery: every,
      onCheckpoint:
        every > 0
          ? async (state) => {
              await beforeSave?.(state, model);
              await store.save(model, state, { settings: written });
            }
          : undefined,
    },
    release: () => tf.dispose(restored?.state.optimizer.map((w) => w.tensor) ?? []),
  };
}
