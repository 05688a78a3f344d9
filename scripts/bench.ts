/** `npm run bench`: prints the backend's matmul rate, training throughput and generation speed. */
import {
  dispatchesPerToken,
  generationSpeed,
  generationSpeedByPosition,
  matmulGflops,
  trainThroughput,
} from "../src/ml/bench";
import type { GPTConfig } from "../src/ml/gpt";
import { BENCH_DECODE_REPEATS, EXPERT_CONFIG, TEACHER_CONFIG } from "../src/ml/presets";
import { runBrowserBench } from "./browser-bench";

/** The shipped models' shapes. */
export const BENCH_MODELS: Record<string, GPTConfig> = {
  teacher: TEACHER_CONFIG,
  student: EXPERT_CONFIG,
};
const QUICK_MODELS: Record<string, GPTConfig> = {
  teacher: { vocabSize: 512, contextLength: 32, dModel: 32, nLayers: 2, nHeads: 2, tiedHead: true },
  student: { vocabSize: 512, contextLength: 32, dModel: 16, nLayers: 1, nHeads: 2, tiedHead: true },
};

/** Teacher sizes compared when choosing the teacher (tokens/s decides how much text fits in the budget). */
const TEACHER_CANDIDATES: [number, number][] = [
  [128, 4],
  [192, 4],
  [256, 4],
  [256, 6],
];

export async function runBench(o: {
  quick: boolean;
  candidates?: boolean;
  browser?: boolean;
  backend: string;
  json: boolean;
}): Promise<void> {
  const models = o.quick ? QUICK_MODELS : BENCH_MODELS;
  const seqLen = models.teacher.contextLength;
  const batchSize = o.quick ? 2 : 8;
  const steps = o.quick ? 2 : 5;
  const rows: Record<string, unknown>[] = [];
  const print = (row: Record<string, unknown>) => {
    rows.push(row);
    if (o.json) process.stdout.write(`${JSON.stringify(row)}\n`);
    else {
      const { measure, ...rest } = row;
      const fields = Object.entries(rest).map(
        ([k, v]) => `${k}=${typeof v === "number" ? Number(v.toPrecision(4)) : JSON.stringify(v)}`,
      );
      process.stdout.write(`${String(measure).padEnd(28)} ${fields.join("  ")}\n`);
    }
  };
  if (!o.json) process.stdout.write(`backend: ${o.backend}\n`);
  const n = o.quick ? 128 : 1024;
  print({ measure: "matmul", size: n, gflops: await matmulGflops(n, o.quick ? 1 : 3) });
  const matmulPeak = rows[0].gflops as number;
  const ceSteps: Record<string, number> = {};
  for (const [name, config] of Object.entries(models)) {
    const ce = await trainThroughput(config, { batchSize, seqLen, steps });
    ceSteps[name] = ce.msPerStep;
    print({
      measure: `train step (${name}, CE)`,
      batchSize,
      seqLen,
      ...ce,
      shareOfMatmulPeak: ce.gflops / matmulPeak,
    });
  }
  const kd = await trainThroughput(models.student, {
    batchSize,
    seqLen,
    steps,
    teacher: models.teacher,
  });
  print({
    measure: "train step (student, KD)",
    batchSize,
    seqLen,
    ...kd,
    // The KD step also runs the teacher forward: that work counts toward its throughput.
    shareOfMatmulPeak: (kd.gflopsWithTeacher ?? kd.gflops) / matmulPeak,
    timesCeStep: kd.msPerStep / ceSteps.student,
  });
  const cached = await trainThroughput(models.student, {
    batchSize,
    seqLen,
    steps,
    teacher: models.teacher,
    cached: true,
  });
  print({
    measure: "train step (student, KD, cached teacher)",
    batchSize,
    seqLen,
    ...cached,
    timesCeStep: cached.msPerStep / ceSteps.student,
    goal: "≤ 1.3× the CE step",
  });
  if (o.candidates) {
    for (const [dModel, nLayers] of TEACHER_CANDIDATES) {
      const config = { ...TEACHER_CONFIG, dModel, nLayers, nHeads: dModel / 32 };
      const r = await trainThroughput(config, { batchSize, seqLen, steps });
      const hourTokens = r.tokensPerSec * 3600;
      print({
        measure: `teacher candidate ${dModel}×${nLayers}`,
        ...r,
        millionTokensPerHour: hourTokens / 1e6,
      });
    }
  }
  const [early, late] = o.quick ? [16, 40] : [16, 256];
  for (const [name, config] of Object.entries(models)) {
    const speed = await generationSpeedByPosition(config, early, late);
    print({
      measure: `generate (${name}) by position`,
      [`tokensPerSecAt${early}`]: speed.early,
      [`tokensPerSecAt${late}`]: speed.late,
      ratio: speed.late / speed.early,
      goal: "≥ 0.8",
    });
  }
  const newTokens = o.quick ? 8 : 64;
  for (const [name, config] of Object.entries(models)) {
    for (const useCache of [true, false]) {
      const tps = await generationSpeed(config, newTokens, useCache);
      print({
        measure: `generate (${name}, ${useCache ? "KV cache" : "no cache"})`,
        newTokens,
        tokensPerSec: tps,
      });
    }
  }
  // Decoding one token with the cache: FastDecoder's one WebAssembly call per matrix against the
  // forward's many kernels (each rate the median of BENCH_DECODE_REPEATS generations).
  const decoding: Record<string, number> = {};
  for (const [name, config] of Object.entries(models)) {
    const forward = await generationSpeed(config, newTokens, true, false, BENCH_DECODE_REPEATS);
    const fast = await generationSpeed(config, newTokens, true, true, BENCH_DECODE_REPEATS);
    const dispatches = await dispatchesPerToken(config, true);
    decoding[name] = fast;
    print({
      measure: `decode (${name}, KV cache): FastDecoder against the forward`,
      kernelsPerToken: dispatches.kernels,
      wasmCallsPerToken: dispatches.products,
      forwardKernelsPerToken: (await dispatchesPerToken(config, false)).kernels,
      tokensPerSec: fast,
      forwardTokensPerSec: forward,
      msPerToken: 1000 / fast,
      speedUp: fast / forward,
      goal: "≥ 5× the forward",
    });
  }
  print({
    measure: "decode: student against teacher (FastDecoder)",
    studentTokensPerSec: decoding.student,
    teacherTokensPerSec: decoding.teacher,
    ratio: decoding.student / decoding.teacher,
    goal: "≥ 3",
  });
  if (o.browser) await runBrowserBench(print);
}
