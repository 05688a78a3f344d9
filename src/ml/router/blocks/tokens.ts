/** The paper's features: the token ids (no special tokens) as the "words" of a TF-IDF vector. */
import { BOS_ID, EOS_ID, PAD_ID } from "../../bpe-trainer";
import type { FeatureBlock } from "./block";

const isSpecial = (id: number) => id === PAD_ID || id === BOS_ID || id === EOS_ID;

/** Whether `id` is a token the block counts: in the vocabulary and not a special token. */
export const countsToken = (id: number, vocabSize: number) =>
  !isSpecial(id) && Number.isInteger(id) && id >= 0 && id < vocabSize;

export const tokensBlock = {
  id: "tokens",
  featureKind: "token",
  verbatim: true,
  readsText: false,
  size: (sizes) => sizes.vocabSize,
  count(input, sizes, counts, offset, touched) {
    for (const id of input.ids) {
      if (!countsToken(id, sizes.vocabSize)) continue;
      if (counts[offset + id] === 0) touched.push(offset + id);
      counts[offset + id]++;
    }
  },
  namer: (_input, _sizes, tokenText) => tokenText,
} as const satisfies FeatureBlock<"tokens", "token">;
