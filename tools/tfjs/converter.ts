/**
 * The TF.js graph-model → ONNX (opset 17) converter over the project's graph builder (`src/models/onnx/graph.ts`):
 * each node the outputs depend on is converted once, producers first, by its TF op: Placeholder (one float image
 * input; an unknown dim becomes symbolic, "N" for the batch), Const (float32 initializer), Identity, the convolutions
 * of `conv.ts`, Relu, Abs, Prelu, Add/AddV2, Sub, Mul, Maximum (NumPy broadcasting), Square, Rsqrt, Squeeze and Sum, and
 * the detector ops of `detector_ops.ts` (MaxPool, Pad, Reshape). Any other op is refused with an error naming the node and the op (TF op semantics after the TensorFlow
 * documentation of each op).
 * @module
 */
import { ONNX_OPSET, OnnxGraphBuilder } from "../../src/models/onnx/graph.ts";
import type { Dim } from "../../src/models/onnx/graph.ts";
import type { ConstantValues, ConversionContext, Value } from "./context.ts";
import { convertConv } from "./conv.ts";
import { convertMaxPool, convertPad, convertReshape } from "./detector_ops.ts";
import {
  attrInts,
  outputNodes,
  readWeights,
  type StoredWeight,
  type TfjsGraphModel,
  type TfjsNode,
} from "./graph_model.ts";
import { broadcast } from "./shape_rules.ts";

/** The converted model and a summary of it. */
export interface TfjsConversion {
  /** the encoded ONNX model */
  bytes: Uint8Array;
  /** the graph input: name and dims ("N" for an unknown batch) */
  input: { name: string; dims: Dim[] };
  /** the graph outputs: name and dims */
  outputs: { name: string; dims: Dim[] }[];
  /** the TF ops converted, with their counts */
  tfOps: Record<string, number>;
  /** the ONNX node types emitted, in order */
  onnxOps: string[];
}

/** Ops the converter handles. */
export const SUPPORTED_TFJS_OPS = [
  "Placeholder",
  "Const",
  "Identity",
  "_FusedConv2D",
  "FusedDepthwiseConv2dNative",
  "Conv2D",
  "DepthwiseConv2dNative",
  "Relu",
  "Prelu",
  "Abs",
  "Add",
  "AddV2",
  "Sub",
  "Mul",
  "Maximum",
  "Square",
  "Rsqrt",
  "Squeeze",
  "Sum",
  "MaxPool",
  "Pad",
  "Reshape",
] as const;

/** Two-input TF ops and the ONNX op of each (both broadcast as NumPy does). */
const ELEMENTWISE: Record<string, string> = { Add: "Add", AddV2: "Add", Sub: "Sub", Mul: "Mul", Maximum: "Max" };

/** The converter's state over one graph. */
class Converter implements ConversionContext {
  readonly graph = new OnnxGraphBuilder();
  readonly #nodes = new Map<string, TfjsNode>();
  readonly #weights: Map<string, StoredWeight>;
  readonly #values = new Map<string, Value>();
  readonly #converting = new Set<string>();
  readonly tfOps: Record<string, number> = {};
  input: Value | null = null;

  constructor(model: TfjsGraphModel, readShard: (path: string) => Uint8Array) {
    for (const node of model.modelTopology.node) this.#nodes.set(node.name, node);
    this.#weights = readWeights(model, readShard);
  }

  constant(name: string, consumer: string): ConstantValues {
    const node = this.#nodes.get(name);
    const stored = this.#weights.get(name);
    if (node?.op !== "Const" || !stored) throw new Error(`node ${consumer}: input ${name} must be a constant weight`);
    const buffer = stored.data.buffer;
    return { weight: stored.weight, floats: new Float32Array(buffer), ints: new Int32Array(buffer) };
  }

  value(ref: string, consumer: string): Value {
    const [name, index] = ref.split(":");
    if (index !== undefined && index !== "0") {
      throw new Error(`node ${consumer}: input ${ref} is output ${index} of a multi-output op, not supported`);
    }
    const known = this.#values.get(name);
    if (known) return known;
    const node = this.#nodes.get(name);
    if (!node) throw new Error(`node ${consumer}: input ${ref} names no node of the graph`);
    if (this.#converting.has(name)) throw new Error(`node ${name}: the graph has a cycle`);
    this.#converting.add(name);
    const value = this.#convert(node);
    this.#converting.delete(name);
    this.#values.set(name, value);
    this.tfOps[node.op] = (this.tfOps[node.op] ?? 0) + 1;
    return value;
  }

  #convert(node: TfjsNode): Value {
    const inputs = (node.input ?? []).filter((i) => !i.startsWith("^"));
    const arg = (k: number) => this.value(inputs[k], node.name);
    const g = this.graph;
    switch (node.op) {
      case "Placeholder":
        return this.#placeholder(node);
      case "Const": {
        const { weight, floats } = this.constant(node.name, node.name);
        if (weight.dtype !== "float32") {
          throw new Error(`node ${node.name}: an ${weight.dtype} constant used as data is not supported`);
        }
        return { name: g.initializer(node.name, weight.shape, { float32: floats }), dims: [...weight.shape] };
      }
      case "Identity":
        return arg(0);
      case "_FusedConv2D":
      case "FusedDepthwiseConv2dNative":
      case "Conv2D":
      case "DepthwiseConv2dNative":
        return convertConv(this, node, inputs);
      case "Relu":
      case "Abs": {
        const x = arg(0);
        return { name: g.node(node.op, [x.name], {}, node.name)[0], dims: x.dims };
      }
      case "Prelu": {
        const [x, alpha] = [arg(0), arg(1)];
        return { name: g.node("PRelu", [x.name, alpha.name], {}, node.name)[0], dims: x.dims };
      }
      case "Add":
      case "AddV2":
      case "Sub":
      case "Mul":
      case "Maximum": {
        const [a, b] = [arg(0), arg(1)];
        const dims = broadcast(a.dims, b.dims, `node ${node.name}`);
        return { name: g.node(ELEMENTWISE[node.op], [a.name, b.name], {}, node.name)[0], dims };
      }
      case "Square": {
        const x = arg(0);
        return { name: g.node("Mul", [x.name, x.name], {}, node.name)[0], dims: x.dims };
      }
      case "Rsqrt": {
        const x = arg(0);
        const [root] = g.node("Sqrt", [x.name], {}, `${node.name}/sqrt`);
        return { name: g.node("Reciprocal", [root], {}, node.name)[0], dims: x.dims };
      }
      case "Squeeze":
        return this.#squeeze(node, arg(0));
      case "Sum":
        return this.#sum(node, arg(0), inputs[1]);
      case "MaxPool":
        return convertMaxPool(this, node, arg(0));
      case "Pad":
        return convertPad(this, node, arg(0), inputs[1]);
      case "Reshape":
        return convertReshape(this, node, arg(0), inputs[1]);
      default:
        throw new Error(
          `node ${node.name}: op ${node.op} is not supported (supported: ${SUPPORTED_TFJS_OPS.join(", ")})`,
        );
    }
  }

  #placeholder(node: TfjsNode): Value {
    if (this.input) throw new Error(`node ${node.name}: a second Placeholder (only one image input is supported)`);
    const dtype = node.attr?.dtype?.type;
    if (dtype !== undefined && dtype !== "DT_FLOAT") {
      throw new Error(`node ${node.name}: input dtype ${dtype}, not DT_FLOAT`);
    }
    const dims = (node.attr?.shape?.shape?.dim ?? []).map((d, k): Dim =>
      Number(d.size) < 0 ? (k === 0 ? "N" : `d${k}`) : Number(d.size)
    );
    if (dims.length === 0) throw new Error(`node ${node.name}: the input's shape is not declared`);
    const name = this.graph.fresh(node.name);
    this.graph.input(name, dims);
    this.input = { name, dims };
    return this.input;
  }

  #squeeze(node: TfjsNode, x: Value): Value {
    const rank = x.dims.length;
    const listed = attrInts(node.attr?.squeeze_dims ?? node.attr?.axis).map((a) => (a + rank) % rank);
    const axes = listed.length > 0 ? listed : x.dims.flatMap((d, k) => (d === 1 ? [k] : []));
    for (const a of axes) {
      if (x.dims[a] !== 1) throw new Error(`node ${node.name}: squeezes axis ${a} of size ${x.dims[a]}`);
    }
    const dims = x.dims.filter((_, k) => !axes.includes(k));
    return {
      name: this.graph.node("Squeeze", [x.name, this.graph.int64s(`${node.name}/axes`, axes)], {}, node.name)[0],
      dims,
    };
  }

  #sum(node: TfjsNode, x: Value, axesRef: string): Value {
    const axesConst = this.constant(axesRef.split(":")[0], node.name);
    const rank = x.dims.length;
    const axes = Array.from(axesConst.ints, (a) => (a + rank) % rank);
    const keep = node.attr?.keep_dims?.b === true;
    const dims = keep ? x.dims.map((d, k) => (axes.includes(k) ? 1 : d)) : x.dims.filter((_, k) => !axes.includes(k));
    const name = this.graph.node("ReduceSum", [x.name, this.graph.int64s(`${node.name}/axes`, axes)], {
      keepdims: { int: keep ? 1 : 0 },
    }, node.name)[0];
    return { name, dims };
  }
}

/**
 * Converts a parsed TF.js graph model; `readShard` returns the bytes of a weight shard named in the manifest. Throws
 * an error naming the node for any unsupported op, attribute or weight.
 */
export function convertTfjsModel(model: TfjsGraphModel, readShard: (path: string) => Uint8Array): TfjsConversion {
  if (!model?.modelTopology?.node || !Array.isArray(model.weightsManifest)) {
    throw new Error("not a TF.js graph model: expected modelTopology.node and weightsManifest");
  }
  const converter = new Converter(model, readShard);
  const outputs = outputNodes(model).map((name) => ({ name, value: converter.value(name, "(graph output)") }));
  if (!converter.input) throw new Error("the graph has no Placeholder input on the path to its outputs");
  for (const { value } of outputs) converter.graph.output(value.name, value.dims);
  return {
    bytes: converter.graph.encode("tfjs", ONNX_OPSET),
    input: converter.input,
    outputs: outputs.map(({ value }) => value),
    tfOps: converter.tfOps,
    onnxOps: converter.graph.opTypes(),
  };
}
