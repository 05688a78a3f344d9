/**
 * The teacher cache's windows computed on a thread of their own (teacher-states.worker.ts), so that
 * on a machine with a second core the teacher runs while the student trains. Where that thread
 * can't start or fails, the windows are computed here instead (teacherStates).
 */
import * as Comlink from "comlink";
import { inMainMemory } from "../ml/backend";
import { parameterArrays } from "../ml/fast-decode";
import type { GPT } from "../ml/gpt";
import { teacherStates, type WindowStates } from "../ml/teacher-cache";
import { keepProblemsAcrossWorkers } from "./problem-transfer";
import type { TeacherStatesApi } from "./teacher-states.worker";

/** The thread for the current teacher (one at a time: a new teacher ends the old one's). */
let current: { teacher: GPT; states: WindowStates; stop: () => void } | null = null;

/** The teacher's window states, computed on a thread of their own where possible. */
export function threadedTeacherStates(teacher: GPT): WindowStates {
  const here = teacherStates(teacher);
  // On a GPU the teacher's passes are the GPU's: they stay on this thread.
  if (!inMainMemory() || typeof Worker === "undefined") return here;
  if (current?.teacher === teacher) return current.states;
  current?.stop();
  let worker: Worker;
  try {
    worker = new Worker(new URL("./teacher-states.worker.ts", import.meta.url), {
      type: "module",
      name: "teacher-states",
    });
  } catch {
    return here;
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
  let broken = false;
  const states: WindowStates = async (inputs) => {
    if (broken) return here(inputs);
    try {
      await loaded;
      return await Promise.race([remote.states(inputs), failed]);
    } catch (e) {
      broken = true;
      console.warn(`the teacher's thread failed, so it runs here: ${(e as Error).message}`);
      return here(inputs);
    }
  };
  const stop = () => {
    worker.terminate();
    fail(new Error("another teacher replaced this one"));
  };
  current = { teacher, states, stop };
  return states;
}
