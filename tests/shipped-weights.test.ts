import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModelDir } from "../scripts/node-io";
import { useBackend } from "./helpers";

/** Logits of the phase-1 teacher, recorded before GPT's parameters became typed fields. */
const recorded = JSON.parse(
  readFileSync(new URL("./phase1-teacher-logits.json", import.meta.url), "utf8"),
) as { model: string; logits: number[] };

describe("shipped weights", () => {
  beforeAll(() => useBackend("wasm"));

  it("load unchanged: the phase-1 teacher gives the logits recorded with the earlier GPT code", async () => {
    const model = await loadModelDir(recorded.model);
    const ids = Array.from({ length: 24 }, (_, i) => (i * 173 + 11) % 4096);
    const input = tf.tensor2d(ids, [1, ids.length], "int32");
    const logits = model.forward(input);
    const values = await logits.data();
    const picked: number[] = [];
    for (let p = 0; p < 24; p += 5)
      for (let t = 0; t < 4096; t += 511) picked.push(values[p * 4096 + t]);
    expect(picked).toHaveLength(recorded.logits.length);
    for (const [i, v] of picked.entries()) expect(v).toBeCloseTo(recorded.logits[i], 4);
    tf.dispose([input, logits]);
    model.dispose();
  });
});
