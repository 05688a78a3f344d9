/**
 * A model as a Hugging Face folder, file by file (path → bytes): what transformers (Python) and
 * transformers.js load with local files only.
 *
 *   config.json · generation_config.json · model.safetensors (float32, GPT-2's names)
 *   tokenizer.json (<bos> added before every text, as our prompts add it) · tokenizer_config.json
 *   onnx/model.onnx (a decoder with a KV cache) · README.md (a short model card)
 */
import { BOS_ID, EOS_ID, PAD_ID } from "../bpe-trainer";
import type { GPTConfig } from "../gpt";
import { gpt2Config, toGpt2Tensors } from "./gpt2";
import { onnxDecoder } from "./onnx-decoder";
import { type NamedTensor, writeSafetensors } from "./safetensors";

export interface HuggingFaceExport {
  /** The model's name ("expert-fr", "teacher", "mome-lab-student"). */
  name: string;
  /** One sentence: what the model is. */
  description: string;
  config: GPTConfig;
  /** Float32 parameters, by our names. */
  params: ReadonlyMap<string, NamedTensor>;
  /** Our tokenizer.json, parsed. */
  tokenizer: Record<string, unknown>;
  /** Validation perplexity per language, from the manifest, if measured. */
  validationPerplexity?: Record<string, number>;
}

/** One sentence on a model of MoME Lab, from its name ("teacher", "expert-fr", anything else). */
export function describeModel(name: string): string {
  const languages: Record<string, string> = {
    en: "English",
    fr: "French",
    de: "German",
    py: "Python",
    common: "all four languages (the common expert, which takes texts in none of them)",
  };
  if (name === "teacher")
    return "The multilingual teacher of MoME Lab, trained on English, French, German and Python.";
  const expert = /^expert-(.+)$/.exec(name)?.[1];
  if (expert)
    return `A student expert of MoME Lab for ${languages[expert] ?? expert}, distilled from the multilingual teacher.`;
  return "A student language model trained with MoME Lab.";
}

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** Our tokenizer.json with a post-processor that puts <bos> before every text. */
export function tokenizerWithBos(tokenizer: Record<string, unknown>): Record<string, unknown> {
  const bos = { id: "<bos>", type_id: 0 };
  return {
    ...tokenizer,
    post_processor: {
      type: "TemplateProcessing",
      single: [{ SpecialToken: bos }, { Sequence: { id: "A", type_id: 0 } }],
      pair: [
        { SpecialToken: bos },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: bos },
        { Sequence: { id: "B", type_id: 0 } },
      ],
      special_tokens: { "<bos>": { id: "<bos>", ids: [BOS_ID], tokens: ["<bos>"] } },
    },
  };
}

function tokenizerConfig(config: GPTConfig): Record<string, unknown> {
  return {
    tokenizer_class: "GPT2TokenizerFast",
    bos_token: "<bos>",
    eos_token: "<eos>",
    pad_token: "<pad>",
    unk_token: null,
    add_bos_token: true,
    add_prefix_space: false,
    clean_up_tokenization_spaces: false,
    model_max_length: config.contextLength,
  };
}

/** The model card: what it is, its data and licences, its perplexity, how to load it. */
export function modelCard(model: HuggingFaceExport): string {
  const { name, description, config, validationPerplexity } = model;
  const ppl = validationPerplexity
    ? [
        "| language | validation perplexity |",
        "|---|---|",
        ...Object.entries(validationPerplexity).map(([l, p]) => `| ${l} | ${p.toFixed(1)} |`),
      ].join("\n")
    : "Not measured on the held-out text (a student trained in the browser).";
  return `---
license: other
library_name: transformers
pipeline_tag: text-generation
language: [en, fr, de]
tags: [gpt2, knowledge-distillation, mixture-of-experts, mome-lab]
---

# ${name}

${description} It was exported by MoME Lab, an in-browser demonstration of Mixture of Modular
Experts: a multilingual teacher language model distilled into small per-language experts chosen by
a router.

- Architecture: GPT-2 (${config.nLayers} layers, ${config.nHeads} heads, width ${config.dModel},
  context ${config.contextLength} tokens, vocabulary ${config.vocabSize}, ${config.tiedHead ? "head tied to the token embedding" : "untied head"}), float32.
- Tokenizer: MoME Lab's byte-level BPE; every text starts with \`<bos>\`, as in training.

## Data and licences

Trained on technical documentation in English, French and German (Debian's manuals, the
LibreOffice and GIMP help, the Debian FAQ and reference) and on Python's standard library, all from
Debian 12 packages. Each text keeps its source's licence (MPL-2.0, GFDL-1.2, GPL-2+, CC-BY-SA-3.0,
PSF-2.0…; see data/SOURCES.md in MoME Lab), so the weights are marked \`license: other\`. The
MoME Lab code is MIT-licensed.

## Validation perplexity

${ppl}

## Use it

transformers.js (Node or the browser), from this folder:

\`\`\`js
import { AutoTokenizer, AutoModelForCausalLM, env } from "@huggingface/transformers";
env.allowRemoteModels = false;
env.localModelPath = "./";
const tokenizer = await AutoTokenizer.from_pretrained("${name}");
const model = await AutoModelForCausalLM.from_pretrained("${name}", { dtype: "fp32" });
const inputs = tokenizer("Pour insérer un tableau, ");
const ids = await model.generate({ ...inputs, max_new_tokens: 32, do_sample: false });
console.log(tokenizer.decode(ids[0], { skip_special_tokens: true }));
\`\`\`

Python transformers:

\`\`\`python
from transformers import AutoTokenizer, AutoModelForCausalLM
tokenizer = AutoTokenizer.from_pretrained("./${name}")
model = AutoModelForCausalLM.from_pretrained("./${name}")
inputs = tokenizer("Pour insérer un tableau, ", return_tensors="pt")
print(tokenizer.decode(model.generate(**inputs, max_new_tokens=32, do_sample=False)[0]))
\`\`\`
`;
}

/** Every file of the export, path → bytes. */
export function huggingFaceFiles(model: HuggingFaceExport): Map<string, Uint8Array> {
  const { config, params } = model;
  return new Map([
    ["config.json", json(gpt2Config(config))],
    [
      "generation_config.json",
      json({ bos_token_id: BOS_ID, eos_token_id: EOS_ID, pad_token_id: PAD_ID }),
    ],
    ["model.safetensors", writeSafetensors(toGpt2Tensors(config, params), { format: "pt" })],
    ["tokenizer.json", json(tokenizerWithBos(model.tokenizer))],
    ["tokenizer_config.json", json(tokenizerConfig(config))],
    ["onnx/model.onnx", onnxDecoder(config, params)],
    ["README.md", new TextEncoder().encode(modelCard(model))],
  ]);
}
