/**
 * The worker supervisor's start-up watch, with workers made of message channels: a worker whose
 * thread freezes mid-step is replaced by one told to start WASM without threads, and every
 * start-up step ends, with an error that names what it waited for if it must.
 */
import * as Comlink from "comlink";
import { afterEach, describe, expect, it } from "vitest";
import { StartupError, WorkerSupervisor } from "../src/app/supervisor";
import { PING, PONG, SINGLE_THREAD } from "../src/workers/supervisor-types";

const LIVENESS = { freezeMs: 150, pingEveryMs: 25 };

interface Api {
  start(): Promise<string>;
}

/** How the next worker created behaves. */
type Behaviour = "healthy" | "freezes" | "silent" | "slow";

/** Workers that `behaviours` describe, in the order they are created, and what each was told. */
function workers(behaviours: Behaviour[]) {
  const told: string[][] = [];
  const ports: MessagePort[] = [];
  const create = () => {
    const behaviour = behaviours[told.length] ?? "healthy";
    const messages: string[] = [];
    told.push(messages);
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    let frozen = false;
    let singleThread = false;
    port2.addEventListener("message", (e: MessageEvent<{ type?: string }>) => {
      if (e.data?.type === PING) {
        if (behaviour !== "silent" && !frozen) port2.postMessage({ type: PONG });
      } else if (e.data?.type === SINGLE_THREAD) {
        singleThread = true;
        messages.push("single thread");
      }
    });
    const api: Api = {
      start() {
        messages.push("start");
        if (behaviour === "freezes") frozen = true;
        if (behaviour === "freezes" || behaviour === "silent") return new Promise<string>(() => {});
        const answer = singleThread ? "started on one thread" : "started";
        const wait = behaviour === "slow" ? LIVENESS.freezeMs * 3 : 0;
        return new Promise((resolve) => setTimeout(() => resolve(answer), wait));
      },
    };
    Comlink.expose(api, port2);
    port1.start();
    return Object.assign(port1, {
      terminate: () => {
        port1.close();
        port2.close();
      },
    }) as unknown as Worker;
  };
  return {
    create,
    told,
    closeAll: () => {
      for (const port of ports) port.close();
    },
  };
}

describe("the start-up watch", () => {
  let cleanup: () => void = () => {};
  afterEach(() => cleanup());

  const supervise = (behaviours: Behaviour[]) => {
    const made = workers(behaviours);
    cleanup = made.closeAll;
    const restarts: string[] = [];
    const supervisor = new WorkerSupervisor<Api>(
      made.create,
      "model",
      (reason) => restarts.push(reason),
      LIVENESS,
    );
    return { supervisor, told: made.told, restarts };
  };

  it("replaces a worker that froze mid-step by one without threads, and runs the step there", async () => {
    const { supervisor, told, restarts } = supervise(["freezes", "healthy"]);
    await expect(supervisor.startup("starting TensorFlow.js", (w) => w.start())).resolves.toBe(
      "started on one thread",
    );
    expect(told).toEqual([["start"], ["single thread", "start"]]);
    expect(supervisor.restarts).toBe(1);
    expect(restarts).toEqual([]); // recovered quietly: nothing the store must reload
  });

  it("runs a call that waited on the frozen worker again on its replacement", async () => {
    const { supervisor, told } = supervise(["freezes", "healthy"]);
    const step = supervisor.startup("starting TensorFlow.js", (w) => w.start());
    const waiting = supervisor.call((w) => w.start());
    await expect(step).resolves.toBe("started on one thread");
    await expect(waiting).resolves.toBe("started on one thread");
    expect(told[1]).toEqual(["single thread", "start", "start"]);
  });

  it("gives up, naming the step, when the replacement freezes too", async () => {
    const { supervisor, told } = supervise(["freezes", "freezes"]);
    const step = supervisor.startup("loading the router", (w) => w.start());
    await expect(step).rejects.toThrow(StartupError);
    await expect(step).rejects.toThrow(
      "the model worker stopped answering while loading the router (for 0.15 s)",
    );
    // The second frozen worker is replaced too: Retry starts on a fresh one.
    expect(told.map((messages) => messages[0])).toEqual(["start", "single thread", undefined]);
  });

  it("gives up after the step's time limit on a worker that never answered", async () => {
    const { supervisor } = supervise(["silent"]);
    const started = performance.now();
    await expect(
      supervisor.startup("starting TensorFlow.js", (w) => w.start(), 300),
    ).rejects.toThrow("starting TensorFlow.js took longer than 0 s");
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(supervisor.restarts).toBe(0); // a worker still loading its script is not judged frozen
  });

  it("waits for a slow step whose worker still answers", async () => {
    const { supervisor } = supervise(["slow"]);
    await expect(supervisor.startup("loading the teacher", (w) => w.start())).resolves.toBe(
      "started",
    );
    expect(supervisor.restarts).toBe(0);
  });
});
