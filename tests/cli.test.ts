import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseManifest } from "../src/ml/manifest";
import { TINY_CORPORA } from "./fixtures";

const dir = mkdtempSync(join(tmpdir(), "mome-cli-"));
const at = (name: string) => join(dir, name);

function cli(args: string[], input?: string) {
  const result = spawnSync(join("node_modules", ".bin", "tsx"), ["scripts/cli.ts", ...args], {
    encoding: "utf8",
    input,
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const jsonLines = (s: string) =>
  s
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

// Bad input and faults: tests/reliability.test.ts (the probes of docs/RELIABILITY.md).
// Each CLI call starts a Node process (tsx): a test makes up to a dozen of them.
describe("CLI", { timeout: 300_000 }, () => {
  beforeAll(() => {
    for (const [lang, docs] of Object.entries(TINY_CORPORA)) {
      writeFileSync(at(`${lang}.txt`), `${docs.join("\n\n")}\n`.repeat(4));
    }
  });

  it("has --help for every command", () => {
    const top = cli(["--help"]);
    expect(top.code).toBe(0);
    for (const command of [
      "train-tokenizer",
      "train",
      "eval",
      "generate",
      "train-router",
      "route",
      "add-language",
      "bench",
    ]) {
      expect(top.stdout).toContain(command);
      const help = cli([command, "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toMatch(/^Usage: mome /);
    }
  });

  it("trains a tokenizer, a model, a distilled student, evaluates, generates, routes", () => {
    const manifest = at("models/manifest.json");
    const langs = ["en", "fr", "de", "py"];
    let r = cli([
      "--json",
      "train-tokenizer",
      ...langs.map((l) => at(`${l}.txt`)),
      "--vocab-size",
      "320",
      "--out",
      at("models/tokenizer.json"),
      "--manifest",
      manifest,
    ]);
    expect(r.stderr).not.toMatch(/error/);
    expect(JSON.parse(r.stdout)).toMatchObject({ vocabSize: 320, merges: 61 });

    const tiny = [
      "--context",
      "16",
      "--width",
      "16",
      "--layers",
      "1",
      "--heads",
      "2",
      "--steps",
      "6",
      "--batch-size",
      "2",
      "--seq-len",
      "16",
      "--eval-every",
      "3",
    ];
    r = cli([
      "--json",
      "train",
      "--tokenizer",
      at("models/tokenizer.json"),
      "--train",
      at("en.txt"),
      "--out",
      at("models/teacher"),
      "--manifest",
      manifest,
      ...tiny,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const steps = jsonLines(r.stdout);
    expect(steps.filter((s) => s.event === "step")).toHaveLength(6);
    expect(steps.at(-1)).toMatchObject({ event: "done" });
    expect(steps.at(-1).valPerplexity).toBeGreaterThan(1);

    r = cli([
      "--json",
      "train",
      "--tokenizer",
      at("models/tokenizer.json"),
      "--train",
      at("fr.txt"),
      "--val",
      at("fr.txt"),
      "--out",
      at("models/student"),
      "--teacher",
      at("models/teacher"),
      "--kd",
      "paper-inverse",
      "--alpha",
      "adaptive",
      "--manifest",
      manifest,
      ...tiny,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const kdSteps = jsonLines(r.stdout).filter((s) => s.event === "step");
    expect(kdSteps[0].kd).toBeGreaterThan(0);
    expect(kdSteps[0].alpha).toBe(0.5);

    // The teacher's top-k outputs are kept in a file: a second run on the same text reuses them.
    const cached = (out: string) =>
      cli([
        "train",
        ...["--tokenizer", at("models/tokenizer.json"), "--train", at("fr.txt")],
        ...["--out", at(out), "--teacher", at("models/teacher"), "--kd", "forward"],
        ...["--teacher-cache", at("models/teacher-cache.bin"), ...tiny],
      ]);
    r = cached("models/cached-1");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("restored");
    r = cached("models/cached-2");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/teacher cache: \d+ windows restored/);

    const registered = parseManifest(JSON.parse(readFileSync(manifest, "utf8")));
    expect(registered.artifacts.map((a) => a.name)).toEqual(["student", "teacher", "tokenizer"]);
    expect(registered.artifacts[0].files.map((f) => f.path)).toContain("student/model.json");

    r = cli([
      "--json",
      "eval",
      "--model",
      at("models/student"),
      "--tokenizer",
      at("models/tokenizer.json"),
      "--text",
      at("fr.txt"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    const evaluated = JSON.parse(r.stdout);
    expect(evaluated.perplexity).toBeCloseTo(Math.exp(evaluated.loss), 6);

    const gen = (seed: string) =>
      cli([
        "--json",
        "generate",
        "--model",
        at("models/student"),
        "--tokenizer",
        at("models/tokenizer.json"),
        "--prompt",
        "Le ",
        "--max-tokens",
        "5",
        "--seed",
        seed,
      ]);
    const g1 = JSON.parse(gen("3").stdout);
    expect(g1.ids.length).toBeGreaterThan(0);
    expect(JSON.parse(gen("3").stdout).text).toBe(g1.text);

    r = cli([
      "--json",
      "train-router",
      "--tokenizer",
      at("models/tokenizer.json"),
      "--data",
      ...langs.map((l) => `${l}=${at(`${l}.txt`)}`),
      "--examples",
      "300",
      "--out",
      at("models/router.json"),
      "--manifest",
      manifest,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).heldOutAccuracy).toBeGreaterThan(0.8);

    const input = [
      JSON.stringify({ text: "Die Kinder spielen heute draußen im Schnee." }),
      "not json",
      JSON.stringify({ text: "def push(self, item):\n    self.items.append(item)" }),
      JSON.stringify({ txt: "missing field" }),
    ].join("\n");
    r = cli(
      ["route", "--router", at("models/router.json"), "--tokenizer", at("models/tokenizer.json")],
      input,
    );
    expect(r.code).toBe(2); // some lines were bad
    const routed = jsonLines(r.stdout);
    expect(routed).toHaveLength(4);
    expect(routed[0].label).toBe("de");
    expect(Object.keys(routed[0].probs)).toEqual(["en", "fr", "de", "py"]);
    expect(routed[1]).toMatchObject({ line: 2 });
    expect(routed[2].label).toBe("py");
    expect(routed[3].error).toMatch(/"text" field/);

    writeFileSync(at("in.jsonl"), `${JSON.stringify({ text: "The children play outside." })}\n`);
    r = cli([
      "route",
      "--router",
      at("models/router.json"),
      "--tokenizer",
      at("models/tokenizer.json"),
      "--input",
      at("in.jsonl"),
    ]);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout)[0].label).toBe("en");
  });

  it("routes with the shipped models by default, and --text", () => {
    let r = cli(["route"], `${JSON.stringify({ text: "Guten Tag, wie geht es Ihnen heute?" })}\n`);
    expect(r.code, r.stderr).toBe(0);
    const [routed] = jsonLines(r.stdout);
    expect(routed).toMatchObject({ label: "de", name: "German" });
    expect(Object.keys(routed.probs)).toEqual(["en", "fr", "de", "py", "none"]);
    r = cli([
      "route",
      "--text",
      "Hola a todos, ¿cómo están? Hoy vamos a aprender a usar el menú de herramientas.",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ label: "none", name: "None of these" });
    // Another script is none of the four; Python that quotes and comments in it is Python.
    const texts = [
      "Откройте меню «Файл» и выберите «Сохранить», чтобы сохранить работу.",
      'for i in range(10):\n    print("Число", i)  # выводим число',
      'name = input("Как тебя зовут? ")\nprint("Привет, " + name)',
      // Emoji are not read: beside words they change nothing, alone they are none.
      "Guten Morgen, ihr alle 😊",
      "🎉🎉🎉",
    ];
    r = cli(["route"], texts.map((text) => `${JSON.stringify({ text })}\n`).join(""));
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).map((line) => line.label)).toEqual([
      "none",
      "py",
      "py",
      "de",
      "none",
    ]);
  });

  it("trains a router with a fifth language and a none class, read from the file by route", () => {
    const spanish = [
      "El zorro marrón salta sobre el perro perezoso. Hoy hace buen tiempo y los niños juegan fuera.",
      "Abra el menú archivo y elija guardar para conservar su trabajo. El documento se guarda en su carpeta.",
      "Ella dijo que el tren llegaría a mediodía, pero llegó tarde otra vez por la nieve.",
    ];
    const code = [
      "function add(a, b) {\n  return a + b;\n}\nconsole.log(add(1, 2));",
      "const items = [];\nfor (let i = 0; i < 3; i++) {\n  items.push(i * 2);\n}",
      "export default async function load(url) {\n  const response = await fetch(url);\n  return response.json();\n}",
    ];
    writeFileSync(at("es.txt"), `${spanish.join("\n\n")}\n`.repeat(4));
    writeFileSync(at("none.txt"), `${code.join("\n\n")}\n`.repeat(4));
    const tokenizer = join("public", "models", "tokenizer.json");
    let r = cli([
      "--json",
      "train-router",
      "--tokenizer",
      tokenizer,
      "--data",
      ...["en", "fr", "de", "py", "es"].map((l) => `${l}=${at(`${l}.txt`)}`),
      "--name",
      "es=Spanish",
      "--none",
      at("none.txt"),
      "--features",
      "tokens+chars",
      "--examples",
      "200",
      "--out",
      at("router5.json"),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ classes: ["en", "fr", "de", "py", "es", "none"] });
    const saved = JSON.parse(readFileSync(at("router5.json"), "utf8"));
    expect(saved.classes[4]).toEqual({
      id: "es",
      name: "Spanish",
      expert: "expert-es",
      layout: "prose",
    });
    r = cli(
      ["route", "--router", at("router5.json"), "--tokenizer", tokenizer],
      [
        JSON.stringify({
          text: "Los niños abren el documento y guardan su trabajo antes de salir.",
        }),
        JSON.stringify({ text: "Les enfants ouvrent le document et enregistrent leur travail." }),
      ].join("\n"),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout).map((x) => x.label)).toEqual(["es", "fr"]);
    expect(jsonLines(r.stdout)[0].name).toBe("Spanish");
    r = cli([
      "train-router",
      "--tokenizer",
      tokenizer,
      "--data",
      `EN!=${at("en.txt")}`,
      "--out",
      at("x.json"),
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/lower-case class id/);
  });

  it("adds a language offline: a 6-class router, a new expert, the shipped experts untouched", () => {
    const es = [
      "Para insertar una tabla, abra el menú Tabla y elija Insertar tabla.",
      "Los niños abren el documento y guardan su trabajo antes de salir de casa.",
      "Ella dijo que el tren llegaría a mediodía, pero llegó tarde por la nieve.",
    ];
    writeFileSync(at("es-add.txt"), `${es.join("\n\f\n")}\n`.repeat(20));
    const out = at("added");
    let r = cli([
      "--json",
      "add-language",
      "--name",
      "es",
      "--display-name",
      "Spanish",
      "--text",
      at("es-add.txt"),
      "--steps",
      "2",
      "--no-distil",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({
      classes: ["en", "fr", "de", "py", "es", "none"],
      existingExpertsUnchanged: true,
      sharedModel: "expert-common",
    });
    expect(Object.keys(result.sharedAfter)).toEqual(["en", "fr", "de", "py", "es"]);
    const manifest = parseManifest(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")));
    expect(manifest.artifacts.map((a) => a.name).sort()).toEqual(["expert-es", "router"]);
    r = cli(
      ["route", "--router", join(out, "router.json")],
      `${JSON.stringify({ text: "Los niños abren el documento y guardan su trabajo." })}\n`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(r.stdout)[0]).toMatchObject({ label: "es", name: "Spanish" });
    r = cli(["add-language", "--name", "fr", "--text", at("es-add.txt"), "--out", out]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/new lower-case class id/);
  });

  it("checkpoints a training run and resumes it, refusing a checkpoint of other settings", () => {
    const args = [
      "train",
      "--tokenizer",
      at("models/tokenizer.json"),
      "--train",
      at("de.txt"),
      "--out",
      at("ckpt"),
      "--context",
      "16",
      "--width",
      "16",
      "--layers",
      "1",
      "--heads",
      "2",
      "--seq-len",
      "16",
      "--batch-size",
      "2",
      "--eval-every",
      "0",
      "--checkpoint-every",
      "2",
    ];
    let r = cli(["--json", ...args, "--steps", "4"]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(at("ckpt/checkpoint/optimizer.bin"))).toBe(true);
    expect(JSON.parse(readFileSync(at("ckpt/checkpoint/checkpoint.json"), "utf8")).step).toBe(4);
    r = cli([...args, "--steps", "4", "--resume"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("resuming at step 4");
    r = cli([...args, "--steps", "5", "--resume"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/was written with other settings/);
  });

  it("benchmarks with --quick", () => {
    const r = cli(["--json", "bench", "--quick"]);
    expect(r.code, r.stderr).toBe(0);
    const rows = jsonLines(r.stdout);
    expect(rows[0]).toMatchObject({ measure: "matmul" });
    expect(rows[0].gflops).toBeGreaterThan(0);
    expect(rows.map((x) => x.measure)).toContain("generate (student, KV cache)");
  });
});
