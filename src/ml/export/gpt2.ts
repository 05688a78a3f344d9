/**
 * Our GPT in Hugging Face's GPT-2 layout. The architectures are the same (pre-LN blocks, learned
 * positions, GELU with the tanh approximation, LayerNorm ε 1e-5, a head without bias), so this is
 * naming and one transpose:
 *
 *   wte [V, D]            ↔ transformer.wte.weight [V, D]
 *   wpe [T, D]            ↔ transformer.wpe.weight [T, D]
 *   hL.ln1.g / .b         ↔ transformer.h.L.ln_1.weight / .bias
 *   hL.attn.wqkv [D, 3D]  ↔ transformer.h.L.attn.c_attn.weight [D, 3D] (Conv1D: [in, out])
 *   hL.attn.wo [D, D]     ↔ transformer.h.L.attn.c_proj.weight
 *   hL.mlp.w1 [D, 4D]     ↔ transformer.h.L.mlp.c_fc.weight;  hL.mlp.w2 ↔ …mlp.c_proj.weight
 *   lnf.g / .b            ↔ transformer.ln_f.weight / .bias
 *   head [D, V]           ↔ lm_head.weight [V, D] (transposed; absent when tied to wte)
 */
import { BOS_ID, EOS_ID, PAD_ID } from "../bpe-trainer";
import { type GPTConfig, parameterShapes, validateConfig } from "../gpt";
import { ProblemError } from "../problems";
import type { NamedTensor } from "./safetensors";

/** GPT-2's LayerNorm ε, which ours uses too. */
export const LAYER_NORM_EPSILON = 1e-5;

/** Our parameter name → GPT-2's (the head, transposed, is handled apart). */
function gpt2Name(name: string): string {
  const top: Record<string, string> = {
    wte: "transformer.wte.weight",
    wpe: "transformer.wpe.weight",
    "lnf.g": "transformer.ln_f.weight",
    "lnf.b": "transformer.ln_f.bias",
  };
  if (top[name]) return top[name];
  const m = /^h(\d+)\.(.+)$/.exec(name);
  const inBlock: Record<string, string> = {
    "ln1.g": "ln_1.weight",
    "ln1.b": "ln_1.bias",
    "attn.wqkv": "attn.c_attn.weight",
    "attn.bqkv": "attn.c_attn.bias",
    "attn.wo": "attn.c_proj.weight",
    "attn.bo": "attn.c_proj.bias",
    "ln2.g": "ln_2.weight",
    "ln2.b": "ln_2.bias",
    "mlp.w1": "mlp.c_fc.weight",
    "mlp.b1": "mlp.c_fc.bias",
    "mlp.w2": "mlp.c_proj.weight",
    "mlp.b2": "mlp.c_proj.bias",
  };
  if (!m || !inBlock[m[2]]) throw new Error(`no GPT-2 name for parameter ${name}`);
  return `transformer.h.${m[1]}.${inBlock[m[2]]}`;
}

/** A [rows, cols] matrix transposed. */
export function transpose({ shape: [rows, cols], data }: NamedTensor): NamedTensor {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return { shape: [cols, rows], data: out };
}

/** Our parameters (by our names) as GPT-2's tensors, in GPT-2's order. */
export function toGpt2Tensors(
  config: GPTConfig,
  params: ReadonlyMap<string, NamedTensor>,
): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name] of parameterShapes(config)) {
    const t = params.get(name);
    if (!t) throw new Error(`the model has no parameter ${name}`);
    if (name === "head") out.set("lm_head.weight", transpose(t));
    else out.set(gpt2Name(name), t);
  }
  return out;
}

/**
 * GPT-2's tensors as our parameters, each checked: a missing tensor or a wrong shape is named. A
 * tied model's lm_head.weight, if present, must equal wte (some exports write it anyway).
 */
export function fromGpt2Tensors(
  config: GPTConfig,
  tensors: ReadonlyMap<string, NamedTensor>,
): Map<string, NamedTensor> {
  const out = new Map<string, NamedTensor>();
  for (const [name, shape] of parameterShapes(config)) {
    const source = name === "head" ? "lm_head.weight" : gpt2Name(name);
    const t = tensors.get(source);
    if (!t)
      throw new ProblemError(
        "tensorMissing",
        { name: source },
        `model.safetensors has no tensor ${source}`,
      );
    const value = name === "head" ? transpose(t) : t;
    if (value.shape.join() !== shape.join()) {
      const expected = `[${name === "head" ? [...shape].reverse() : shape}]`;
      throw new ProblemError(
        "tensorShape",
        { name: source, shape: `[${t.shape}]`, expected },
        `model.safetensors: ${source} has shape [${t.shape}], expected ${expected}`,
      );
    }
    out.set(name, value);
  }
  return out;
}

/** config.json of the GPT-2 export (`model_type: "gpt2"`, as transformers and transformers.js read it). */
export function gpt2Config(config: GPTConfig): Record<string, unknown> {
  return {
    architectures: ["GPT2LMHeadModel"],
    model_type: "gpt2",
    vocab_size: config.vocabSize,
    n_positions: config.contextLength,
    n_ctx: config.contextLength,
    n_embd: config.dModel,
    n_layer: config.nLayers,
    n_head: config.nHeads,
    n_inner: null,
    activation_function: "gelu_new",
    layer_norm_epsilon: LAYER_NORM_EPSILON,
    resid_pdrop: 0,
    embd_pdrop: 0,
    attn_pdrop: 0,
    scale_attn_weights: true,
    initializer_range: 0.02,
    bos_token_id: BOS_ID,
    eos_token_id: EOS_ID,
    pad_token_id: PAD_ID,
    tie_word_embeddings: config.tiedHead,
    use_cache: true,
    torch_dtype: "float32",
  };
}

/**
 * Our config from a GPT-2 config.json; anything this GPT can't be (another architecture, another
 * activation, a LayerNorm ε other than 1e-5, an MLP other than 4 × n_embd) is refused by name.
 */
export function configFromGpt2(json: unknown): GPTConfig {
  const c = (json ?? {}) as Record<string, unknown>;
  /** `field` is `value` where this GPT needs `needed`. */
  const refuse = (field: string, value: unknown, needed: string, why: string): never => {
    throw new ProblemError(
      "gpt2Config",
      { field, value: JSON.stringify(value) ?? "—", needed },
      `config.json: ${field} is ${JSON.stringify(value)}; ${why}`,
    );
  };
  if (c.model_type !== "gpt2")
    refuse("model_type", c.model_type, '"gpt2"', 'only "gpt2" can be imported');
  const activation = c.activation_function ?? "gelu_new";
  if (activation !== "gelu_new")
    refuse("activation_function", activation, '"gelu_new"', 'this GPT uses "gelu_new"');
  const eps = c.layer_norm_epsilon ?? LAYER_NORM_EPSILON;
  if (eps !== LAYER_NORM_EPSILON)
    refuse(
      "layer_norm_epsilon",
      eps,
      `${LAYER_NORM_EPSILON}`,
      `this GPT uses ${LAYER_NORM_EPSILON}`,
    );
  if (c.n_inner !== undefined && c.n_inner !== null && c.n_inner !== 4 * Number(c.n_embd))
    refuse("n_inner", c.n_inner, "4 × n_embd", "this GPT's MLP is 4 × n_embd");
  for (const flag of ["scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn"])
    if (c[flag] === true) refuse(flag, true, "false", "this GPT's attention does not do that");
  if (c.scale_attn_weights === false)
    refuse("scale_attn_weights", false, "true", "this GPT scales by 1/√d");
  try {
    return validateConfig({
      vocabSize: c.vocab_size as number,
      contextLength: (c.n_positions ?? c.n_ctx) as number,
      dModel: c.n_embd as number,
      nLayers: c.n_layer as number,
      nHeads: c.n_head as number,
      tiedHead: c.tie_word_embeddings !== false,
    });
  } catch (e) {
    if (e instanceof ProblemError) throw e.at("config.json");
    throw e;
  }
}
