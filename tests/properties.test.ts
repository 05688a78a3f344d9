/**
 * Property-based tests (fast-check): 1,000 generated inputs for each of the link settings, `route`'s
 * input lines, the tokenizer and the student zip loader. The seed is fixed and printed; rerun one
 * with PROPERTY_SEED=<seed> (a failure also prints its seed and shrunk counterexample).
 */

import { readFile } from "node:fs/promises";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { compressToEncodedURIComponent } from "lz-string";
import { beforeAll, describe, expect, it } from "vitest";
import { PROPERTY_RUNS } from "../scripts/reliability/app-cases";
import { routeJsonLines } from "../scripts/route-lines";
import { CLASS_CONTROLS, parseControls } from "../src/app/class-links";
import { translate } from "../src/app/i18n";
import { type Message, say } from "../src/app/i18n/message";
import {
  parseSettings,
  parseValue,
  SETTINGS,
  type Settings,
  serializeSettings,
} from "../src/app/settings";
import { readStudentZip, studentZip } from "../src/app/student-zip";
import { GPT } from "../src/ml/gpt";
import { Router } from "../src/ml/router";
import { BpeTokenizer } from "../src/ml/tokenizer";
import { loadGpt, serializeGpt } from "../src/ml/weights";
import { TINY, useBackend } from "./helpers";

/** A problem as the English UI words it. */
const english = (m: Message) => say(translate, m);

const SEED = Number(process.env.PROPERTY_SEED ?? 20261202);
const params = { seed: SEED, numRuns: PROPERTY_RUNS };
console.info(
  `property tests: seed ${SEED}, ${PROPERTY_RUNS} inputs each (rerun with PROPERTY_SEED=${SEED})`,
);

/** Text as people paste it: any code points, some long, with the odd specials and whitespace. */
const anyText = (maxLength: number) =>
  fc
    .oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "grapheme", maxLength: 200 }),
      fc
        .array(
          fc.constantFrom(
            "the ",
            "für ",
            "été ",
            "def f(x):\n",
            "    return ",
            "<eos>",
            "<bos>",
            "\r\n",
            "\t",
            "  ",
            "🦊",
            "дистилляция ",
            "知识",
            "\u0301",
            "\uFEFF",
            "'s ",
            "1e9",
          ),
          { maxLength: 300 },
        )
        .map((parts) => parts.join("")),
      fc.string({ unit: "binary", minLength: Math.min(1000, maxLength), maxLength }),
    )
    .map((s) => s.slice(0, maxLength).toWellFormed());

/** A valid value of one setting: the table's own range. */
function validValue(
  field: (typeof SETTINGS)[keyof typeof SETTINGS],
): fc.Arbitrary<string | number> {
  if (field.kind === "enum") return fc.constantFrom(...field.values);
  if (field.kind === "text") return anyText(field.maxLength);
  if (field.integer) return fc.integer({ min: field.min, max: field.max });
  return fc.double({ min: field.min, max: field.max, noNaN: true }).map((n) => (n === 0 ? 0 : n)); // -0 is written "0"
}
const validSettings = fc.record(
  Object.fromEntries(Object.entries(SETTINGS).map(([key, field]) => [key, validValue(field)])),
) as unknown as fc.Arbitrary<Settings>;

/** A value of a setting that a hostile or broken link may carry. */
const hostileValue = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("", "NaN", "Infinity", "-1", "1e999", "0x10", "1_000", " 1", "1.", ".5", "-0"),
  fc.double().map(String),
  fc.integer().map(String),
);
const hostileQuery = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...Object.keys(SETTINGS), "z", "__proto__"), fc.string()),
        hostileValue,
      ),
      { maxLength: 12 },
    )
    .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
  fc.string({ maxLength: 300 }).map((q) => `?z=${compressToEncodedURIComponent(q)}`),
  fc.string({ maxLength: 40 }).map((z) => `?z=${encodeURIComponent(z)}`),
);

describe("link settings", () => {
  it("every valid setting survives a link unchanged, compressed or not", () => {
    fc.assert(
      fc.property(validSettings, (settings) => {
        const { settings: back, problems } = parseSettings(serializeSettings(settings));
        expect(problems).toEqual([]);
        expect(back).toEqual(settings);
      }),
      params,
    );
  });

  it("a hostile link never throws and leaves only valid values, each problem named", () => {
    fc.assert(
      fc.property(hostileQuery, (query) => {
        const { settings, problems } = parseSettings(query);
        for (const [key, field] of Object.entries(SETTINGS))
          expect(parseValue(field, String(settings[key as keyof Settings]))).not.toHaveProperty(
            "problem",
          );
        expect(problems.every((p) => english(p).length > 0)).toBe(true);
        for (const setting of ["lock", "hide"] as const)
          for (const control of parseControls(settings[setting], setting).controls)
            expect(Object.hasOwn(CLASS_CONTROLS, control)).toBe(true);
        // What the app writes back to the address bar opens as the same settings.
        expect(parseSettings(serializeSettings(settings))).toEqual({ settings, problems: [] });
      }),
      params,
    );
  });
});

describe("tokenizer and route lines (the shipped tokenizer and router)", () => {
  let tokenizer: BpeTokenizer;
  let router: Router;
  beforeAll(async () => {
    tokenizer = new BpeTokenizer(
      JSON.parse(await readFile("public/models/tokenizer.json", "utf8")),
    );
    router = Router.fromJSON(JSON.parse(await readFile("public/models/router.json", "utf8")));
  });

  it("any text round-trips, with ids of the vocabulary and the Hugging Face tokenizer's ids", () => {
    fc.assert(
      fc.property(anyText(5000), (text) => {
        const ids = tokenizer.encode(text);
        expect(ids.every((id) => Number.isInteger(id) && id > 2 && id < tokenizer.vocabSize)).toBe(
          true,
        );
        expect(tokenizer.decode(ids)).toBe(text);
        expect(ids).toEqual(tokenizer.encodeWhole(text));
      }),
      params,
    );
  });

  /** A line of `route`'s input: JSON with a text, other JSON, or not JSON at all. */
  const inputLine = fc.oneof(
    anyText(600).map((text) => JSON.stringify({ text })),
    fc.json().filter((j) => !j.includes("\n")),
    fc.string({ unit: "binary", maxLength: 80 }).map((s) => s.replace(/[\r\n]/g, " ")),
    fc.constantFrom('{"text": 5}', '{"text": null}', "null", '{"text": "   "}', "[]", '{"text'),
  );

  it("every input line gets one output line: a route with finite probabilities, or an error naming the line", () => {
    const routeText = (text: string) => {
      if (text.trim() === "") throw new Error("the text is empty: there is nothing to route");
      const { label, probs } = router.predict({ ids: tokenizer.encode(text), text });
      return { label, probs };
    };
    const labels = [...router.classes.map((c) => c.id), "none"];
    fc.assert(
      fc.property(fc.array(inputLine, { minLength: 1, maxLength: 4 }), (lines) => {
        const { outputs, bad } = routeJsonLines(`${lines.join("\n")}\n`, routeText);
        expect(outputs).toHaveLength(lines.length);
        expect(outputs.filter((o) => "error" in o)).toHaveLength(bad);
        outputs.forEach((out, i) => {
          if ("error" in out) {
            expect(out.line).toBe(i + 1);
            expect(String(out.error)).not.toMatch(/undefined|Cannot read|is not a function/);
            return;
          }
          expect(labels).toContain(out.label);
          const probs = Object.values(out.probs as Record<string, number>);
          expect(probs.every(Number.isFinite)).toBe(true);
          expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        });
      }),
      params,
    );
  });
});

describe("student zip loader", () => {
  let original: { name: string; bytes: Uint8Array }[];
  let zip: Uint8Array;
  beforeAll(async () => {
    await useBackend("cpu");
    const model = GPT.create({ ...TINY, vocabSize: 40, dModel: 8 }, 3);
    original = [...(await serializeGpt(model, "", "uint8"))].map(([name, bytes]) => ({
      name,
      bytes,
    }));
    model.dispose();
    zip = await studentZip(original);
  });

  /** A damaged zip: flipped bytes, cut short, bytes inserted, or not a zip at all. */
  const damage = fc.oneof(
    fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 20 })
      .map((flips) => (z: Uint8Array) => {
        const out = z.slice();
        for (const [at, bits] of flips) out[at % out.length] ^= bits;
        return out;
      }),
    fc.nat().map((cut) => (z: Uint8Array) => z.slice(0, cut % z.length)),
    fc
      .tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 }))
      .map(([at, bytes]) => (z: Uint8Array) => {
        const i = at % z.length;
        return new Uint8Array([...z.subarray(0, i), ...bytes, ...z.subarray(i)]);
      }),
    fc.uint8Array({ maxLength: 2000 }).map((bytes) => () => bytes),
  );

  it("a damaged zip loads exactly the saved student, or is refused with a clear message", async () => {
    const tensorsBefore = tf.memory().numTensors;
    await fc.assert(
      fc.asyncProperty(damage, async (hurt) => {
        let files: { name: string; bytes: Uint8Array }[];
        let checked: boolean;
        try {
          ({ files, checked } = await readStudentZip(hurt(zip)));
          const model = await loadGpt(async (path) => {
            const file = files.find((f) => f.name === path);
            if (!file) throw new Error(`the model's files have no ${path}`);
            return file.bytes;
          });
          model.dispose();
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message).not.toMatch(/undefined|Cannot read|is not a function/);
          return;
        }
        // Loaded: checked files are the saved ones, byte for byte (never a silently damaged model).
        // A zip whose checksum file lost its name loads unchecked, which the app says.
        if (checked)
          expect(files.map((f) => [f.name, [...f.bytes]])).toEqual(
            original.map((f) => [f.name, [...f.bytes]]),
          );
      }),
      params,
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  /** model.json as an older zip (no checksums) or a hand edit may carry it: any JSON, or damaged. */
  const damagedModelJson = fc.oneof(
    fc.json(),
    fc.jsonValue().map((v) => JSON.stringify({ format: "mome-gpt", version: 1, config: v })),
    fc.tuple(fc.nat(), fc.string({ maxLength: 3 })).map(([at, insert]) => (json: string) => {
      const i = at % json.length;
      return json.slice(0, i) + insert + json.slice(i + 1);
    }),
  );

  it("a zip without checksums whose model.json is damaged loads a valid model or says why not", async () => {
    const tensorsBefore = tf.memory().numTensors;
    const modelJson = new TextDecoder().decode(
      original.find((f) => f.name === "model.json")?.bytes,
    );
    await fc.assert(
      fc.asyncProperty(damagedModelJson, async (damage) => {
        const text = typeof damage === "string" ? damage : damage(modelJson);
        const files = original.map((f) =>
          f.name === "model.json" ? { name: f.name, bytes: new TextEncoder().encode(text) } : f,
        );
        try {
          const model = await loadGpt(async (path) => {
            const file = files.find((f) => f.name === path);
            if (!file) throw new Error(`the model's files have no ${path}`);
            return file.bytes;
          });
          model.dispose();
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          if (!(e instanceof SyntaxError))
            // the app names a SyntaxError "not valid JSON"
            expect((e as Error).message).not.toMatch(
              /undefined|Cannot read|is not a function|null/,
            );
        }
      }),
      params,
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
});
