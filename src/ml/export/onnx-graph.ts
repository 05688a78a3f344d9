/**
 * A small builder of ONNX graphs (onnx-proto's messages): initializers, nodes with fresh output
 * names, typed inputs and outputs, and the model around them. Tensors are stored as raw
 * little-endian bytes, so no 64-bit integer type is needed on the way.
 */
import onnxProto, { type onnx as Onnx } from "onnx-proto";

// onnx-proto is CommonJS: its namespace is the default export under Node's ESM loader.
const { onnx } = onnxProto;

/** One dimension of an input or output: a number, or a name for a size known at run time. */
export type Dim = number | string;

export type Attribute = number | number[] | string;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function valueInfo(name: string, type: number, dims: readonly Dim[]): Onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: type,
        shape: {
          dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

function attribute(name: string, value: Attribute): Onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === "string")
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  return Number.isInteger(value)
    ? { name, type: AttributeType.INT, i: value }
    : { name, type: AttributeType.FLOAT, f: value };
}

export class GraphBuilder {
  private readonly nodes: Onnx.INodeProto[] = [];
  private readonly initializers: Onnx.ITensorProto[] = [];
  private readonly inputs: Onnx.IValueInfoProto[] = [];
  private readonly outputs: Onnx.IValueInfoProto[] = [];
  private fresh = 0;

  /** A float32 constant (a weight), named `name`. */
  floats(name: string, dims: readonly number[], data: Float32Array): string {
    const bytes = new Uint8Array(data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
    this.initializers.push({ name, dataType: FLOAT, dims: [...dims], rawData: bytes });
    return name;
  }

  /** An int64 constant (shapes, axes, indices). */
  ints(name: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const bytes = new Uint8Array(values.length * 8);
    const view = new DataView(bytes.buffer);
    for (const [i, v] of values.entries()) view.setBigInt64(8 * i, BigInt(v), true);
    this.initializers.push({ name, dataType: INT64, dims: [...dims], rawData: bytes });
    return name;
  }

  /** A float32 scalar constant. */
  scalar(name: string, value: number): string {
    return this.floats(name, [], new Float32Array([value]));
  }

  input(name: string, type: "float" | "int64", dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, type === "float" ? FLOAT : INT64, dims));
    return name;
  }

  /** Marks `name` (a node's output) as a graph output of this shape. */
  output(name: string, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, FLOAT, dims));
  }

  /**
   * One node; returns its outputs' names (fresh ones unless `named`). `""` in `inputs` is an
   * optional input left out.
   */
  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, Attribute> = {},
    { outputs = 1, named }: { outputs?: number; named?: readonly string[] } = {},
  ): string[] {
    const names = named
      ? [...named]
      : Array.from({ length: outputs }, () => `${opType}_${this.fresh++}`);
    this.nodes.push({
      opType,
      input: [...inputs],
      output: [...names],
      name: `${opType}_node_${this.nodes.length}`,
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return names;
  }

  /** The node's single output. */
  op(opType: string, inputs: readonly string[], attributes?: Record<string, Attribute>): string {
    return this.node(opType, inputs, attributes)[0];
  }

  /** The whole model, serialised (opset `opset` of the default domain). */
  encode(graphName: string, opset: number, producer: string): Uint8Array {
    const model: Onnx.IModelProto = {
      irVersion: 8,
      producerName: producer,
      opsetImport: [{ domain: "", version: opset }],
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}
