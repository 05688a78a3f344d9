/**
 * Compiles the WebAssembly kernels (src/ml/kernels/*.wat, the readable source) into the modules
 * that carry their bytes (src/ml/kernels/*-wasm.ts), so neither the app nor the CLI needs wabt.
 *   npm run kernels            writes them
 *   (tests/fast-decode.test.ts fails when a committed module differs from its .wat)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import wabtInit from "wabt";

export const KERNELS_DIR = join(import.meta.dirname, "..", "src", "ml", "kernels");
export const KERNELS = ["kernels"] as const;

/** The bytes of kernel `name`, compiled from its .wat. */
export async function compileKernel(name: (typeof KERNELS)[number]): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const file = `${name}.wat`;
  const module = wabt.parseWat(file, readFileSync(join(KERNELS_DIR, file), "utf8"), {
    simd: true,
  });
  try {
    module.validate();
    return Uint8Array.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The TypeScript module that carries kernel `name`'s bytes. */
export function kernelModule(name: string, bytes: Uint8Array): string {
  return [
    `/** ${name}.wat compiled by \`npm run kernels\` (do not edit: edit ${name}.wat and run it). */`,
    `export const ${name.toUpperCase()}_WASM = "${Buffer.from(bytes).toString("base64")}";`,
    "",
  ].join("\n");
}

if (process.argv[1] === import.meta.filename) {
  for (const name of KERNELS) {
    const bytes = await compileKernel(name);
    writeFileSync(join(KERNELS_DIR, `${name}-wasm.ts`), kernelModule(name, bytes));
    console.log(`src/ml/kernels/${name}-wasm.ts: ${bytes.length} bytes`);
  }
}
