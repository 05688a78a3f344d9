/**
 * The GPT as an ONNX decoder with a KV cache, as transformers.js runs a GPT-2 (onnx/model.onnx):
 *
 *   inputs   input_ids [batch, seq] · attention_mask [batch, past + seq] · position_ids [batch, seq]
 *            past_key_values.L.key / .value [batch, heads, past, headDim]
 *   outputs  logits [batch, seq, vocab] · present.L.key / .value [batch, heads, past + seq, headDim]
 *
 * After the first step transformers.js feeds only the newest token with the cache, so the graph
 * attends over the past keys and values; the first step passes them empty (past = 0). A key is
 * hidden from a query when it comes later (causal) or when attention_mask says it is padding.
 */
import type { GPTConfig } from "../gpt";
import { LAYER_NORM_EPSILON, transpose } from "./gpt2";
import { GraphBuilder } from "./onnx-graph";
import type { NamedTensor } from "./safetensors";

/** LayerNormalization needs opset 17; Shape's start/end, 15; Split's sizes as input, 13. */
const OPSET = 17;

const BATCH = "batch_size";
const SEQ = "sequence_length";
const PAST = "past_sequence_length";
const TOTAL = "total_sequence_length";

/** The graph's input and output names, as transformers.js expects them. */
export const pastKey = (l: number) => `past_key_values.${l}.key`;
export const pastValue = (l: number) => `past_key_values.${l}.value`;
export const presentKey = (l: number) => `present.${l}.key`;
export const presentValue = (l: number) => `present.${l}.value`;

/** The ONNX model of a GPT with parameters `params` (our names), serialised. */
export function onnxDecoder(
  config: GPTConfig,
  params: ReadonlyMap<string, NamedTensor>,
): Uint8Array {
  const { dModel: D, nHeads: H, nLayers, vocabSize: V } = config;
  const hd = D / H;
  const g = new GraphBuilder();
  const weight = (name: string) => {
    const t = params.get(name);
    if (!t) throw new Error(`the model has no parameter ${name}`);
    return g.floats(name, t.shape, t.data);
  };

  const ids = g.input("input_ids", "int64", [BATCH, SEQ]);
  const attentionMask = g.input("attention_mask", "int64", [BATCH, TOTAL]);
  const positionIds = g.input("position_ids", "int64", [BATCH, SEQ]);
  for (let l = 0; l < nLayers; l++) {
    g.input(pastKey(l), "float", [BATCH, H, PAST, hd]);
    g.input(pastValue(l), "float", [BATCH, H, PAST, hd]);
  }

  // Embeddings: x = wte[ids] + wpe[positions]  [B, seq, D]
  let x = g.op("Add", [
    g.op("Gather", [weight("wte"), ids]),
    g.op("Gather", [weight("wpe"), positionIds]),
  ]);

  const mask = attentionBias(g, ids, attentionMask, pastKey(0));
  const heads = g.ints("heads_shape", [0, 0, H, hd]);
  const merged = g.ints("merged_shape", [0, 0, D]);
  const splits = g.ints("qkv_splits", [D, D, D]);
  const scale = g.scalar("attention_scale", 1 / Math.sqrt(hd));
  const gelu = geluOf(g);
  const toHeads = (t: string) =>
    g.op("Transpose", [g.op("Reshape", [t, heads])], { perm: [0, 2, 1, 3] });
  const linear = (t: string, w: string, b?: string) => {
    const product = g.op("MatMul", [t, weight(w)]);
    return b ? g.op("Add", [product, weight(b)]) : product;
  };
  const norm = (t: string, prefix: string) =>
    g.op("LayerNormalization", [t, weight(`${prefix}.g`), weight(`${prefix}.b`)], {
      axis: -1,
      epsilon: LAYER_NORM_EPSILON,
    });

  for (let l = 0; l < nLayers; l++) {
    const p = `h${l}`;
    // Attention: q, k, v [B, H, seq, hd]; keys and values grow by the new positions.
    const qkv = linear(norm(x, `${p}.ln1`), `${p}.attn.wqkv`, `${p}.attn.bqkv`); // [B, seq, 3D]
    const [q, k, v] = g.node("Split", [qkv, splits], { axis: 2 }, { outputs: 3 }).map(toHeads);
    const [keys] = g.node("Concat", [pastKey(l), k], { axis: 2 }, { named: [presentKey(l)] });
    const [values] = g.node("Concat", [pastValue(l), v], { axis: 2 }, { named: [presentValue(l)] });
    g.output(keys, [BATCH, H, TOTAL, hd]);
    g.output(values, [BATCH, H, TOTAL, hd]);
    const scores = g.op("Add", [
      g.op("Mul", [g.op("MatMul", [q, g.op("Transpose", [keys], { perm: [0, 1, 3, 2] })]), scale]),
      mask,
    ]); // [B, H, seq, total]
    const mixed = g.op("MatMul", [g.op("Softmax", [scores], { axis: -1 }), values]);
    const joined = g.op("Reshape", [g.op("Transpose", [mixed], { perm: [0, 2, 1, 3] }), merged]);
    x = g.op("Add", [x, linear(joined, `${p}.attn.wo`, `${p}.attn.bo`)]);
    // MLP with GELU's tanh approximation.
    const hidden = linear(norm(x, `${p}.ln2`), `${p}.mlp.w1`, `${p}.mlp.b1`);
    x = g.op("Add", [x, linear(gelu(hidden), `${p}.mlp.w2`, `${p}.mlp.b2`)]);
  }

  // The head: tied to wte (transposed) or its own [D, V].
  const head = config.tiedHead
    ? g.floats("lm_head_t", [D, V], transpose(params.get("wte") as NamedTensor).data)
    : weight("head");
  const [logits] = g.node("MatMul", [norm(x, "lnf"), head], {}, { named: ["logits"] });
  g.output(logits, [BATCH, SEQ, V]);
  return g.encode("mome-gpt2", OPSET, "MoME Lab");
}

/** GELU (tanh approximation): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as a function of x. */
function geluOf(g: GraphBuilder): (x: string) => string {
  const c = g.scalar("gelu_cubic", 0.044715);
  const k = g.scalar("gelu_scale", Math.sqrt(2 / Math.PI));
  const half = g.scalar("half", 0.5);
  const one = g.scalar("one_float", 1);
  return (x) => {
    const cube = g.op("Mul", [g.op("Mul", [x, x]), x]);
    const tanh = g.op("Tanh", [g.op("Mul", [g.op("Add", [x, g.op("Mul", [cube, c])]), k])]);
    return g.op("Mul", [g.op("Mul", [x, half]), g.op("Add", [tanh, one])]);
  };
}

/**
 * The additive attention bias [B, 1, seq, total]: 0 where a query may see a key, −1e9 where the key
 * comes after it (query i sits at past + i) or attention_mask marks it as padding.
 */
function attentionBias(
  g: GraphBuilder,
  ids: string,
  attentionMask: string,
  firstPast: string,
): string {
  const past = g.op("Shape", [firstPast], { start: 2, end: 3 }); // [1]
  const seq = g.op("Shape", [ids], { start: 1, end: 2 }); // [1]
  const total = g.op("Add", [past, seq]);
  const axis0 = g.ints("axis_0", [0]);
  const scalar = (t: string) => g.op("Squeeze", [t, axis0]);
  const one = g.ints("one", [1], []);
  const zero = g.ints("zero", [0], []);
  const keyPositions = g.op("Range", [zero, scalar(total), one]); // [total]
  const queryPositions = g.op("Range", [scalar(past), scalar(total), one]); // [seq]
  const later = g.op("Greater", [
    g.op("Unsqueeze", [keyPositions, axis0]),
    g.op("Unsqueeze", [queryPositions, g.ints("axis_1", [1])]),
  ]); // [seq, total]
  const padding = g.op("Unsqueeze", [
    g.op("Equal", [attentionMask, g.ints("zero_mask", [0], [])]),
    g.ints("axes_1_2", [1, 2]),
  ]); // [B, 1, 1, total]
  const hidden = g.op("Or", [later, padding]); // [B, 1, seq, total]
  return g.op("Where", [hidden, g.scalar("masked", -1e9), g.scalar("unmasked", 0)]);
}
