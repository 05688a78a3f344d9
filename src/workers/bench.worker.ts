/**
 * The speed-check worker ("Check this computer" in About): measures matmul GFLOP/s, generation and
 * training tokens/s on each backend that starts. A worker of its own, so the models and the runs
 * of the other workers are not disturbed, and it can switch backends freely.
 */
import * as Comlink from "comlink";
import { selectBackend } from "../ml/backend";
import { BACKENDS } from "../ml/backend-names";
import { generationSpeed, matmulGflops, trainThroughput } from "../ml/bench";
import { BROWSER_TRAIN, COMPUTER_CHECK, EXPERT_CONFIG, STUDENT_PRESETS } from "../ml/presets";
import type { BenchWorkerApi, ComputerCheckRow } from "./bench-types";
import { WASM_PATHS } from "./wasm-paths";

const wasmThreads = Math.min(8, Math.max(1, navigator.hardwareConcurrency || 1));

const api: BenchWorkerApi = {
  async checkComputer(onProgress) {
    const options = { wasmPaths: WASM_PATHS, wasmThreads };
    onProgress("choosing a backend as the app does");
    const { name: chosen } = await selectBackend(BACKENDS, options);
    const student = {
      ...EXPERT_CONFIG,
      ...STUDENT_PRESETS.small,
      contextLength: BROWSER_TRAIN.seqLen,
    };
    const rows: ComputerCheckRow[] = [];
    for (const backend of BACKENDS) {
      onProgress(`starting ${backend}`);
      const reason = (e: unknown) => (e as Error).message.replace(/^.*?: [a-z]+: /, "");
      let software: string | undefined;
      try {
        await selectBackend([backend], { ...options, allowSoftwareGpu: false });
      } catch (e) {
        software = /software/.test(reason(e)) ? reason(e) : undefined;
        if (!software) {
          rows.push({ backend, problem: reason(e) });
          continue;
        }
        await selectBackend([backend], { ...options, allowSoftwareGpu: true });
      }
      onProgress(`${backend}: matrix products`);
      const matmul = await matmulGflops(COMPUTER_CHECK.matmulSize, 2);
      if (software) {
        rows.push({ backend, software, matmulGflops: matmul });
        continue;
      }
      onProgress(`${backend}: generation`);
      const generation = await generationSpeed(student, COMPUTER_CHECK.newTokens, true);
      onProgress(`${backend}: training`);
      const training = await trainThroughput(student, {
        batchSize: BROWSER_TRAIN.batchSize,
        seqLen: BROWSER_TRAIN.seqLen,
        steps: COMPUTER_CHECK.trainSteps,
      });
      rows.push({
        backend,
        matmulGflops: matmul,
        generationTokensPerSec: generation,
        trainingTokensPerSec: training.tokensPerSec,
      });
    }
    return { rows, chosen };
  },

  async generationSpeed(backend, config, newTokens) {
    await selectBackend([backend], { wasmPaths: WASM_PATHS, wasmThreads, allowSoftwareGpu: true });
    return generationSpeed(config, newTokens, true);
  },
};

Comlink.expose(api);
