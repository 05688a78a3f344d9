/**
 * The teacher's final hidden states (after its last LayerNorm) for every aligned window of a token
 * stream — window w covers tokens w·T … w·T + T, inputs and next-token targets — computed once, a
 * window the first time a batch needs it, and reused by every later step, run and race lane on that
 * stream. The teacher's exact logits are then one product with its output head, [N, D] × [D, V]:
 * distillation no longer runs the teacher's layers, and any KD loss or temperature stays exact.
 * Training on aligned windows, the student sees exactly the context the teacher saw.
 */

import * as tf from "@tensorflow/tfjs";
import { inMainMemory } from "./backend";
import { alignedBatch, alignedWindowCount, type Batch } from "./data";
import { FastDecoder } from "./fast-decode";
import type { GPT } from "./gpt";
import { MAX_TEACHER_CACHE_BYTES } from "./presets";

const FORMAT = "mome-teacher-cache";

/** The teacher's final hidden states of whole windows (each its input ids), [seqLen × width] each. */
export type WindowStates = (inputs: Int32Array[]) => Promise<Float32Array[]>;

/**
 * The teacher's work done on another thread: window states, and the logits of `rows` hidden
 * states ([rows × width] → [rows × V]).
 */
export interface TeacherThread {
  states: WindowStates;
  logits(hidden: Float32Array, rows: number): Promise<Float32Array>;
}

/** Windows per forward pass of the teacher on a GPU. */
const GPU_WINDOWS_PER_PASS = 8;

/**
 * The teacher's window states computed on this thread: where tensors live in main memory, a window
 * at a time through FastDecoder (its WebAssembly kernels, no kernel dispatch); elsewhere (GPUs) a
 * few windows per forward pass.
 */
export function teacherStates(teacher: GPT): WindowStates {
  let decoder: Promise<FastDecoder> | null = null;
  return async (inputs) => {
    if (inMainMemory()) {
      decoder ??= FastDecoder.of(teacher);
      const d = await decoder;
      return inputs.map((ids) => d.hiddenStates(Array.from(ids)));
    }
    const out: Float32Array[] = [];
    for (let i = 0; i < inputs.length; i += GPU_WINDOWS_PER_PASS) {
      const chunk = inputs.slice(i, i + GPU_WINDOWS_PER_PASS);
      const seqLen = chunk[0].length;
      const ids = new Int32Array(chunk.length * seqLen);
      for (const [row, w] of chunk.entries()) ids.set(w, row * seqLen);
      const hidden = tf.tidy(() =>
        teacher.hiddenStates(tf.tensor2d(ids, [chunk.length, seqLen], "int32")),
      );
      const values = (await hidden.data()) as Float32Array;
      hidden.dispose();
      const span = values.length / chunk.length;
      for (let row = 0; row < chunk.length; row++)
        out.push(values.slice(row * span, (row + 1) * span));
    }
    return out;
  };
}

export class TeacherCache {
  readonly windows: number;
  readonly width: number;
  private readonly hidden: Float32Array; // [windows × seqLen × width]
  private readonly filled: Uint8Array; // [windows]
  /** Windows being computed, and the computation that fills them. */
  private readonly pending = new Map<number, Promise<void>>();

  private readonly states: WindowStates;

  /** `thread` does the teacher's work elsewhere; without it, this thread does (teacherStates). */
  constructor(
    readonly teacher: GPT,
    readonly stream: Int32Array,
    readonly seqLen: number,
    private readonly thread?: TeacherThread,
  ) {
    this.states = thread?.states ?? teacherStates(teacher);
    if (seqLen > teacher.config.contextLength)
      throw new Error(`teacher cache: windows of ${seqLen} exceed the teacher's context`);
    this.windows = alignedWindowCount(stream, seqLen);
    this.width = teacher.config.dModel;
    this.hidden = new Float32Array(this.windows * seqLen * this.width);
    this.filled = new Uint8Array(this.windows);
  }

  /** Bytes the cache takes for a stream of `tokens` with a teacher `width` wide. */
  static bytesFor(tokens: number, width: number): number {
    return 4 * tokens * width;
  }

  /** Whether a cache for `tokens` tokens fits the memory a browser tab may give it. */
  static fits(tokens: number, width: number): boolean {
    return TeacherCache.bytesFor(tokens, width) <= MAX_TEACHER_CACHE_BYTES;
  }

  /** How many windows hold the teacher's hidden states. */
  get filledWindows(): number {
    return this.filled.reduce((sum, f) => sum + f, 0);
  }

  batch(windows: readonly number[]): Batch {
    return alignedBatch(this.stream, this.seqLen, windows);
  }

  /**
   * Starts computing the windows not yet cached nor under way, without waiting: with states
   * computed on another thread, the teacher works while training goes on.
   */
  prefetch(windows: readonly number[]): void {
    const missing = [...new Set(windows)].filter((w) => !this.filled[w] && !this.pending.has(w));
    if (missing.length === 0) return;
    const span = this.seqLen * this.width;
    const done = this.states(missing.map((w) => this.batch([w]).inputs))
      .then((states) => {
        for (const [i, w] of missing.entries()) {
          this.hidden.set(states[i], w * span);
          this.filled[w] = 1;
        }
      })
      .finally(() => {
        for (const w of missing) this.pending.delete(w);
      });
    done.catch(() => undefined); // a failure reaches the fill that waits for these windows
    for (const w of missing) this.pending.set(w, done);
  }

  /** Computes the windows not yet cached, or waits for them; returns how many were missing. */
  async fill(windows: readonly number[]): Promise<number> {
    const missing = [...new Set(windows)].filter((w) => !this.filled[w]);
    this.prefetch(missing);
    await Promise.all(missing.map((w) => this.pending.get(w)));
    return missing.length;
  }

  /** Whether the logits come from another thread (logitValues), not from tensors here (logits). */
  get logitsElsewhere(): boolean {
    return this.thread !== undefined;
  }

  /** The hidden states of these windows, back to back (every window must be filled). */
  private rowsOf(windows: readonly number[]): Float32Array {
    const span = this.seqLen * this.width;
    const rows = new Float32Array(windows.length * span);
    for (const [row, w] of windows.entries()) {
      if (!this.filled[w]) throw new Error(`teacher cache: window ${w} is not filled`);
      rows.set(this.hidden.subarray(w * span, (w + 1) * span), row * span);
    }
    return rows;
  }

  /**
   * The teacher's logits for these windows as plain values, [windows × seqLen × V], computed on
   * the cache's thread (logitsElsewhere): they can be asked for a step ahead.
   */
  async logitValues(windows: readonly number[]): Promise<Float32Array> {
    if (!this.thread) throw new Error("teacher cache: no thread of its own");
    await this.fill(windows);
    return this.thread.logits(this.rowsOf(windows), windows.length * this.seqLen);
  }

  /** The teacher's logits for these windows, [windows × seqLen, V] (every window must be filled). */
  logits(windows: readonly number[]): tf.Tensor2D {
    const rows = this.rowsOf(windows);
    return tf.tidy(() => {
      const hidden = tf.tensor3d(rows, [windows.length, this.seqLen, this.width]);
      return this.teacher.project(hidden).reshape([-1, this.teacher.config.vocabSize]);
    });
  }

  /** The size of `toBytes`'s answer. */
  byteLength(key: string): number {
    const header = new TextEncoder().encode(JSON.stringify(this.header(key)));
    return 4 + header.length + this.filled.length + 4 * this.hidden.length;
  }

  /** The filled windows, for IndexedDB or a file; `key` names the teacher and the stream. */
  toBytes(key: string): Uint8Array {
    const header = new TextEncoder().encode(JSON.stringify(this.header(key)));
    const out = new Uint8Array(this.byteLength(key));
    new DataView(out.buffer).setUint32(0, header.length, true);
    out.set(header, 4);
    out.set(this.filled, 4 + header.length);
    // The float32 values' own bytes, little-endian as every browser and Node stores them.
    out.set(new Uint8Array(this.hidden.buffer), 4 + header.length + this.filled.length);
    return out;
  }

  /** Restores windows saved by `toBytes` for the same key and shape; false (nothing restored) if they differ. */
  loadBytes(bytes: Uint8Array, key: string): boolean {
    if (bytes.length < 4) return false;
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
    let header: unknown;
    try {
      header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
    } catch {
      return false;
    }
    const start = 4 + headerLength;
    if (
      JSON.stringify(header) !== JSON.stringify(this.header(key)) ||
      bytes.length !== start + this.filled.length + 4 * this.hidden.length
    )
      return false;
    this.filled.set(bytes.subarray(start, start + this.filled.length));
    const values = bytes.slice(start + this.filled.length).buffer;
    this.hidden.set(new Float32Array(values));
    return true;
  }

  private header(key: string) {
    const { seqLen, width, windows } = this;
    return { format: FORMAT, version: 1, key, seqLen, width, windows };
  }
}
