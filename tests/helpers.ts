import { selectBackend } from "../src/ml/backend";
import type { BackendName } from "../src/ml/backend-names";
import type { GPTConfig } from "../src/ml/gpt";

export async function useBackend(name: BackendName): Promise<void> {
  const choice = await selectBackend([name]);
  if (choice.name !== name) throw new Error(`could not select ${name}`);
}

export const TINY: GPTConfig = {
  vocabSize: 300,
  contextLength: 16,
  dModel: 16,
  nLayers: 2,
  nHeads: 2,
  tiedHead: true,
};
