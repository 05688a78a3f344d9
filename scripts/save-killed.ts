/**
 * Fault injection for the reliability probes and tests/model-save.test.ts: saves model 1 into a
 * folder, then starts saving model 2 over it and kills itself (SIGKILL, as a power cut would)
 * right after the k-th file write or rename of that second save. Prints "saved" if the second
 * save ends before the k-th.
 */
import { createRequire, syncBuiltinESMExports } from "node:module";
import { selectBackend } from "../src/ml/backend";
import { GPT } from "../src/ml/gpt";
import { saveModelDir } from "./node-io";
import { PROBE_MODEL } from "./reliability/harness";

const [dir, killAfter] = [process.argv[2], Number(process.argv[3])];
await selectBackend(["wasm"]);
await saveModelDir(GPT.create(PROBE_MODEL, 1), dir);

const fsPromises = createRequire(import.meta.url)("node:fs/promises");
let operations = 0;
for (const name of ["writeFile", "rename"]) {
  const original = fsPromises[name];
  fsPromises[name] = async (...args: unknown[]) => {
    await original(...args);
    if (++operations === killAfter) process.kill(process.pid, "SIGKILL");
  };
}
syncBuiltinESMExports(); // the patched functions reach `import { writeFile } from "node:fs/promises"`
await saveModelDir(GPT.create(PROBE_MODEL, 2), dir);
process.stdout.write("saved\n");
