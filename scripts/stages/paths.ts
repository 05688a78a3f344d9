/** Where the pipeline's stages read and write. */
import { join } from "node:path";
import type { Language } from "../../src/ml/languages";

export const ROOT = join(import.meta.dirname, "..", "..");

export const MODELS = join(ROOT, "public", "models");

export const MANIFEST = join(MODELS, "manifest.json");

export const TOKENIZER = join(MODELS, "tokenizer.json");

export const TOKENS = join(ROOT, "data", "build", "tokens");

export const trainText = (lang: Language) => join(ROOT, "data", "corpora", lang, "train.txt");

export const valText = (lang: Language) => join(ROOT, "data", "val", `${lang}.txt`);

export const CHECKPOINTS = join(ROOT, "data", "build", "checkpoints");

/** Long runs' checkpoints are committed, so that they resume on another machine. */
export const COMMITTED_CHECKPOINTS = join(ROOT, "data", "checkpoints");

export const TEACHER_CHECKPOINTS = join(COMMITTED_CHECKPOINTS, "teacher");

/** Phase 1's teacher (3000 steps from scratch, as first shipped): where phase 2 starts. */
export const TEACHER_INIT = join(ROOT, "data", "init", "teacher-phase1");

export const LOGS = join(ROOT, "docs", "logs");

export const RESULTS = join(ROOT, "docs", "results");
