/**
 * The router file: what it holds, and how it is checked on the way in (a file from elsewhere is
 * not trusted). Version 3 names its feature blocks; version 2 files (features, lineLayout,
 * scripts) still load, as the same blocks.
 */
import { BLOCK_IDS, type BlockId, blockById } from "./blocks/registry";
import { type RouterClass, validClass } from "./classes";
import { featureLayout, TERM_FREQUENCIES, type TermFrequency } from "./features";

export const CLASSIFIERS = ["logreg", "nb", "svm"] as const;
export type ClassifierKind = (typeof CLASSIFIERS)[number];

/** The paper's features, or the default ones with character n-grams beside the tokens. */
export const FEATURE_SETS = ["tokens", "tokens+chars"] as const;
export type FeatureSet = (typeof FEATURE_SETS)[number];

export interface NoneThreshold {
  chars: number;
  probability: number;
}

export interface RouterJson {
  format: "mome-router";
  version: 3;
  kind: ClassifierKind;
  classes: RouterClass[];
  /** The feature blocks it reads, in the order of their features (blocks/registry.ts). */
  blocks: BlockId[];
  vocabSize: number;
  /** Character n-gram hash buckets, a power of two (0 without the n-gram block). */
  charBuckets: number;
  /** How counts enter the features. */
  termFrequency: TermFrequency;
  /**
   * The none class's probability from which a text of `chars` characters is called none,
   * ascending by length (interpolated in log length, held flat outside). Empty: argmax decides.
   */
  noneThresholds: NoneThreshold[];
  idf: number[]; // [the blocks' sizes added up]
  weights: number[][]; // [class][feature]
  bias: number[];
}

/** Version 2: the blocks as a feature set and two flags (absent flags: no). */
interface RouterJsonV2 extends Omit<RouterJson, "version" | "blocks" | "termFrequency"> {
  version: 2;
  features: FeatureSet;
  termFrequency?: TermFrequency;
  lineLayout?: boolean;
  scripts?: boolean;
}

/** The blocks of a router with these features and options. */
export function blocksOf(
  features: FeatureSet,
  options: { lineLayout?: boolean; scripts?: boolean },
): BlockId[] {
  if (features === "tokens") return ["tokens"];
  return [
    "tokens",
    "chars",
    ...(options.lineLayout ? (["lines"] as const) : []),
    ...(options.scripts ? (["scripts"] as const) : []),
  ];
}

/** A version 2 file's fields checked (with its own messages), as version 3. */
function fromVersion2(j: RouterJsonV2): RouterJson {
  if (!FEATURE_SETS.includes(j.features)) throw new Error(`router: unknown features ${j.features}`);
  for (const flag of ["lineLayout", "scripts"] as const)
    if (j[flag] !== undefined && (typeof j[flag] !== "boolean" || (j[flag] && j.charBuckets === 0)))
      throw new Error(`router: ${flag} must be true or false, and needs character n-grams`);
  const { features, lineLayout, scripts, ...rest } = j;
  return {
    ...rest,
    version: 3,
    termFrequency: j.termFrequency ?? "raw",
    blocks: blocksOf(features, { lineLayout, scripts }),
  };
}

const isFiniteArray = (a: unknown, length: number) =>
  Array.isArray(a) &&
  a.length === length &&
  a.every((v) => typeof v === "number" && Number.isFinite(v));

const ascending = (points: readonly { chars: number }[]) =>
  points.every(
    (p, i) =>
      Number.isFinite(p?.chars) && p.chars > 0 && (i === 0 || p.chars > points[i - 1].chars),
  );

/** A router file checked field by field, as version 3; throws what is wrong. */
export function parseRouterFile(json: unknown): RouterJson {
  const raw = json as RouterJson | RouterJsonV2;
  if (raw?.format !== "mome-router" || (raw.version !== 2 && raw.version !== 3))
    throw new Error("router: not a mome-router v2 or v3 file");
  const j = raw.version === 2 ? fromVersion2(raw) : raw;
  if (!CLASSIFIERS.includes(j.kind)) throw new Error(`router: unknown classifier ${j.kind}`);
  if (!TERM_FREQUENCIES.includes(j.termFrequency))
    throw new Error(`router: unknown term frequency ${j.termFrequency}`);
  if (
    !Array.isArray(j.blocks) ||
    j.blocks.length === 0 ||
    !j.blocks.every((b) => blockById(b) !== undefined) ||
    new Set(j.blocks).size !== j.blocks.length
  )
    throw new Error(`router: blocks must name feature blocks once each (${BLOCK_IDS.join(", ")})`);
  if (!Array.isArray(j.classes) || j.classes.length < 2 || j.classes.length > 16)
    throw new Error("router: needs 2 to 16 classes");
  if (!j.classes.every(validClass))
    throw new Error(
      "router: each class needs an id (a-z, 0-9), a name, an expert or null, and a layout",
    );
  if (new Set(j.classes.map((c) => c.id)).size !== j.classes.length)
    throw new Error("router: class ids repeat");
  const charsOk = !j.blocks.includes("chars")
    ? j.charBuckets === 0
    : Number.isInteger(j.charBuckets) &&
      j.charBuckets > 0 &&
      j.charBuckets <= 1 << 20 &&
      (j.charBuckets & (j.charBuckets - 1)) === 0;
  if (!Number.isInteger(j.vocabSize) || j.vocabSize <= 0 || j.vocabSize > 1 << 20 || !charsOk)
    throw new Error("router: vocabSize out of range, or charBuckets not a power of two up to 2^20");

  const thresholdsOk =
    Array.isArray(j.noneThresholds) &&
    j.noneThresholds.length <= 32 &&
    ascending(j.noneThresholds) &&
    j.noneThresholds.every(
      (t) => typeof t.probability === "number" && t.probability >= 0 && t.probability <= 1,
    ) &&
    (j.noneThresholds.length === 0 || j.classes.some((c) => c.expert === null));
  if (!thresholdsOk)
    throw new Error(
      "router: noneThresholds must be probabilities at ascending lengths, for a router with a none class",
    );
  const features = featureLayout(j.blocks, j, j.termFrequency).dimension;
  const okShapes =
    isFiniteArray(j.idf, features) &&
    isFiniteArray(j.bias, j.classes.length) &&
    Array.isArray(j.weights) &&
    j.weights.length === j.classes.length &&
    j.weights.every((row) => isFiniteArray(row, features));
  if (!okShapes)
    throw new Error(
      "router: idf, weights and bias must be finite numbers matching the features and classes",
    );
  return j;
}
