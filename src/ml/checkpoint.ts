/**
 * Training checkpoints: the model (tfjs weights format), Adam's moments and the loop's state, so a
 * stopped run continues exactly where it was. Files: model.json + shards, optimizer.bin,
 * checkpoint.json.
 */
import * as tf from "@tensorflow/tfjs";
import type { GPT } from "./gpt";
import type { ReadFile } from "./manifest";
import type { TrainState } from "./train";
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
