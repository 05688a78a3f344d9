/**
 * A thread of its own, started by the training worker, for the teacher's part of distillation
 * (the teacher cache): the hidden states of the windows a run trains on, and the logits of a step,
 * by FastDecoder over the teacher's weights given as plain arrays (no TensorFlow.js here), so the
 * training worker's thread only trains.
 */
import * as Comlink from "comlink";
import { FastDecoder } from "../ml/fast-decode";
import type { GPTConfig } from "../ml/gpt";
import { exposeWorkerApi } from "./problem-transfer";

let decoder: FastDecoder | null = null;

const api = {
  /** The teacher to run: its configuration and every parameter by name. */
  load(config: GPTConfig, parameters: Map<string, Float32Array>): void {
    decoder = FastDecoder.fromArrays(config, parameters);
  },
  /** The logits of `rows` final hidden states, [rows × V]. */
  logits(hidden: Float32Array, rows: number): Float32Array {
    if (!decoder) throw new Error("no teacher loaded");
    const out = decoder.project(hidden, rows);
    return Comlink.transfer(out, [out.buffer]);
  },
  /** The final hidden states of each window (its input ids), [seqLen × width] each. */
  states(inputs: Int32Array[]): Float32Array[] {
    if (!decoder) throw new Error("no teacher loaded");
    const d = decoder;
    const out = inputs.map((ids) => d.hiddenStates(Array.from(ids)));
    return Comlink.transfer(
      out,
      out.map((a) => a.buffer),
    );
  },
};

export type TeacherStatesApi = typeof api;

exposeWorkerApi(api);
