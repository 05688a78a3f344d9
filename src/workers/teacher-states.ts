/**
 * The teacher cache's work on a thread of its own (teacher-states.worker.ts): the windows' hidden
 * states and the logits a step needs, so that on a machine with a second core the teacher runs
 * while the student trains. Where that thread can't start or fails, this thread does the work.
 */
import * as tf from "@tensorflow/tfjs";
import * as Comlink from "comlink";
import { inMainMemory } from "../ml/backend";
import { parameterArrays } from "../ml/fast-decode";
import type { GPT } from "../ml/gpt";
import { type TeacherThread, teacherStates } from "../ml/teacher-cache";
import { keepProblemsAcrossWorkers } from "./problem-transfer";
import type { TeacherStatesApi } from "./teacher-states.worker";

/** The thread for the current teacher (one at a time: a new teacher ends the old one's). */
let current: { teacher: GPT; thread: TeacherThread; stop: () => void } | null = null;

/** The teacher's logits of `rows` hidden states, computed here. */
async function logitsHere(teacher: GPT, hidden: Float32Array, rows: number) {
  const { dModel, vocabSize } = teacher.config;
  const logits = tf.tidy(() =>
    teacher.project(tf.tensor3d(hidden, [1, rows, dModel])).reshape([-1, vocabSize]),
  );
  const values = (await logits.data()) as Float32Array;
  logits.dispose();
  return values;
}

/**
 * The teacher's work on a thread of its own; undefined on a GPU (the teacher's passes are the
 * GPU's, on this thread) or where workers can't start here.
 */
export function threadedTeacher(teacher: GPT): TeacherThread | undefined {
  if (!inMainMemory() || typeof Worker === "undefined") return undefined;
  if (current?.teacher === teacher) return current.thread;
  current?.stop();
  let worker: Worker;
  try {
    worker = new Worker(new URL("./teacher-states.worker.ts", import.meta.url), {
      type: "module",
      name: "teacher-states",
    });
  } catch {
    return undefined;
  }
  keepProblemsAcrossWorkers();
  const remote = Comlink.wrap<TeacherStatesApi>(worker);
  // A thread that fails (or is ended) answers nothing: ending every wait for it is this promise.
  let fail: (reason: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  worker.addEventListener("error", (e) => fail(new Error(e.message || "the thread failed")));
  const loaded = parameterArrays(teacher).then((parameters) =>
    Promise.race([remote.load(teacher.config, parameters), failed]),
  );
  const statesHere = teacherStates(teacher);
  let broken = false;
  /** `work` on the thread; after a failure, `here` instead (said once in the console). */
  const onThread = async <T>(work: () => Promise<T>, here: () => Promise<T>): Promise<T> => {
    if (broken) return here();
    try {
      await loaded;
      return await Promise.race([work(), failed]);
    } catch (e) {
      broken = true;
      console.warn(`the teacher's thread failed, so it runs here: ${(e as Error).message}`);
      return here();
    }
  };
  const thread: TeacherThread = {
    states: (inputs) =>
      onThread(
        () => remote.states(inputs),
        () => statesHere(inputs),
      ),
    logits: (hidden, rows) =>
      onThread(
        () => remote.logits(hidden, rows),
        () => logitsHere(teacher, hidden, rows),
      ),
  };
  const stop = () => {
    worker.terminate();
    fail(new Error("another teacher replaced this one"));
  };
  current = { teacher, thread, stop };
  return thread;
}
