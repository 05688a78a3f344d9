/**
 * The speed-check worker ("Check this computer" in About): measures matmul GFLOP/s, generation and
 * training tokens/s on each backend that starts. A worker of its own, so the models and the runs
 * of the other workers are not disturbed, and it can switch backends freely.
 */

import { NoBackendError, selectBackend } from "../ml/backend";
import {
  BACKENDS,
  type BackendAttempt,
  type BackendName,
  type BackendSpeed,
  fastestBackends,
} from "../ml/backend-names";
import { decodingAgreement, generationSpeed, matmulGflops, trainThroughput } from "../ml/bench";
import { BROWSER_TRAIN, COMPUTER_CHECK, EXPERT_CONFIG, STUDENT_PRESETS } from "../ml/presets";
import type { BenchWorkerApi, CheckStep, ComputerCheckRow } from "./bench-types";
import { exposeWorkerApi } from "./problem-transfer";
import { backendOptions } from "./worker-common";

const student = { ...EXPERT_CONFIG, ...STUDENT_PRESETS.small, contextLength: BROWSER_TRAIN.seqLen };

/** Generation and lesson-size training speed on the backend in use (the same probe everywhere). */
async function speedHere(
  backend: BackendName,
  onProgress: (step: CheckStep) => void,
): Promise<BackendSpeed> {
  onProgress({ backend, phase: "generation" });
  const generation = await generationSpeed(student, COMPUTER_CHECK.newTokens, true);
  onProgress({ backend, phase: "training" });
  const training = await trainThroughput(student, {
    batchSize: BROWSER_TRAIN.batchSize,
    seqLen: BROWSER_TRAIN.seqLen,
    steps: COMPUTER_CHECK.trainSteps,
  });
  return {
    backend,
    generationTokensPerSec: generation,
    trainingTokensPerSec: training.tokensPerSec,
  };
}

/** Starts `backend` as the app would (software GPUs refused), or says why it did not. */
async function start(backend: BackendName): Promise<BackendAttempt> {
  try {
    await selectBackend([backend], { ...backendOptions(), allowSoftwareGpu: false });
    return { name: backend, ok: true };
  } catch (e) {
    if (e instanceof NoBackendError) return e.attempts[0];
    return { name: backend, ok: false, why: "failed", reason: (e as Error).message };
  }
}

const api: BenchWorkerApi = {
  async checkComputer(onProgress) {
    const rows: ComputerCheckRow[] = [];
    const speeds: BackendSpeed[] = [];
    let cpu: BackendSpeed | undefined;
    for (const backend of BACKENDS) {
      onProgress({ backend, phase: "starting" });
      const attempt = await start(backend);
      const software = !attempt.ok && attempt.why === "software";
      if (!attempt.ok && !software) {
        rows.push({ backend, problem: attempt });
        continue;
      }
      if (software) await selectBackend([backend], { ...backendOptions(), allowSoftwareGpu: true });
      onProgress({ backend, phase: "matmul" });
      const matmul = await matmulGflops(COMPUTER_CHECK.matmulSize, 2);
      if (software) {
        rows.push({ backend, software: attempt, matmulGflops: matmul });
        continue;
      }
      const speed = await speedHere(backend, onProgress);
      if (backend === "cpu") cpu = speed;
      else speeds.push(speed);
      rows.push({
        backend,
        matmulGflops: matmul,
        generationTokensPerSec: speed.generationTokensPerSec,
        trainingTokensPerSec: speed.trainingTokensPerSec,
      });
    }
    // The plain-JavaScript backend counts only where nothing else was measured (as on a first visit).
    return { rows, fastest: fastestBackends(speeds.length > 0 || !cpu ? speeds : [cpu]) };
  },

  async measureBackends() {
    const speeds: BackendSpeed[] = [];
    const skipped: BackendAttempt[] = [];
    for (const backend of BACKENDS) {
      if (backend === "cpu" && speeds.length > 0) break; // far slower: only a last resort
      const attempt = await start(backend);
      if (attempt.ok) speeds.push(await speedHere(backend, () => {}));
      else skipped.push(attempt);
    }
    const fastest = fastestBackends(speeds);
    if (!fastest) throw new Error("no TensorFlow.js backend could start");
    return { ...fastest, speeds, skipped };
  },

  async generationSpeed(backend, config, newTokens, fastDecoding, repeats) {
    await selectBackend([backend], { ...backendOptions(), allowSoftwareGpu: true });
    return generationSpeed(config, newTokens, true, fastDecoding, repeats);
  },

  async decodingAgreement(backend, config) {
    await selectBackend([backend], { ...backendOptions(), allowSoftwareGpu: true });
    return decodingAgreement(config);
  },
};

exposeWorkerApi(api);
