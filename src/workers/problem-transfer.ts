/**
 * Problems (src/ml/problems.ts) keep their code and values when they cross between a worker and
 * the page: Comlink's own "throw" handler keeps only an error's message, name and stack, and the
 * page words a problem from its code, in the reader's language. Both sides install it.
 */
import * as Comlink from "comlink";
import { ProblemError, problemOf } from "../ml/problems";

interface Thrown {
  value: unknown;
}
interface SerializedThrow {
  isError: boolean;
  value: unknown;
}

const comlinkThrow = Comlink.transferHandlers.get("throw") as Comlink.TransferHandler<
  Thrown,
  SerializedThrow
>;

const problemThrow: Comlink.TransferHandler<Thrown, SerializedThrow> = {
  canHandle: comlinkThrow.canHandle,
  serialize(thrown) {
    const { value } = thrown;
    if (!(value instanceof ProblemError)) return comlinkThrow.serialize(thrown);
    const { message, name, stack, code, values } = value;
    return [{ isError: true, value: { message, name, stack, code, values: { ...values } } }, []];
  },
  deserialize(serialized) {
    const problem = serialized.isError ? problemOf(serialized.value) : null;
    if (!problem) return comlinkThrow.deserialize(serialized);
    const { message, stack } = serialized.value as { message: string; stack?: string };
    throw Object.assign(new ProblemError(problem.code, problem.values, message), { stack });
  },
};

/** Installs the handler in this thread (the page, or a worker); calling it again changes nothing. */
export function keepProblemsAcrossWorkers(): void {
  Comlink.transferHandlers.set("throw", problemThrow as Comlink.TransferHandler<unknown, unknown>);
}

/** How a worker offers its API to the page (or to `endpoint`): with problems kept whole. */
export function exposeWorkerApi(api: object, endpoint?: Comlink.Endpoint): void {
  keepProblemsAcrossWorkers();
  Comlink.expose(api, endpoint);
}
