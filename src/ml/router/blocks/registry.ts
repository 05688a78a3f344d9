/**
 * Every feature block the router can read, by id. Routers trained here lay their blocks out in
 * this order; a router file lists the ones it reads.
 */
import { charsBlock } from "./chars";
import { linesBlock } from "./lines";
import { scriptsBlock } from "./scripts";
import { tokensBlock } from "./tokens";

export const FEATURE_BLOCKS = [tokensBlock, charsBlock, linesBlock, scriptsBlock] as const;

export type BlockId = (typeof FEATURE_BLOCKS)[number]["id"];
export type FeatureKind = (typeof FEATURE_BLOCKS)[number]["featureKind"];
export type RegisteredBlock = (typeof FEATURE_BLOCKS)[number];

export const BLOCK_IDS = FEATURE_BLOCKS.map((b) => b.id) as readonly BlockId[];

export function blockById(id: string): RegisteredBlock | undefined {
  return FEATURE_BLOCKS.find((b) => b.id === id);
}
