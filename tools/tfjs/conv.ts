/**
 * TF.js convolutions to ONNX: `_FusedConv2D` / `FusedDepthwiseConv2dNative` (and the unfused `Conv2D` /
 * `DepthwiseConv2dNative`) with `fused_ops` BiasAdd then one of Relu, Relu6, Prelu; padding SAME / VALID / EXPLICIT,
 * strides and dilations; data_format NHWC only (TF's documentation of each op). The HWIO filter (depthwise
 * [kh, kw, C, M]) becomes an OIHW initializer, and the ONNX Conv is wrapped in NHWC↔NCHW transposes so the graph keeps
 * TF's layout (onnxruntime's optimiser folds them).
 * @module
 */
import type { Attribute, Dim } from "../../src/models/onnx/graph.ts";
import { hwioToOihw } from "../../src/models/onnx/lowering.ts";
import type { ConversionContext, Value } from "./context.ts";
import { attrInts, attrText, type TfjsNode } from "./graph_model.ts";
import { convOutSize, samePadding } from "./shape_rules.ts";

/** Activations a fused convolution may end with. */
const FUSED_ACTIVATIONS = ["Relu", "Relu6", "Prelu"];

/** The ONNX Conv attributes of a TF convolution on input `x` with kernel kh × kw, and its output dims. */
function convGeometry(node: TfjsNode, x: Value, kh: number, kw: number, group: number, outChannels: number) {
  const where = `node ${node.name}`;
  const strides = attrInts(node.attr?.strides), dilations = attrInts(node.attr?.dilations);
  const [sh, sw] = strides.length === 4 ? [strides[1], strides[2]] : [1, 1];
  const [dh, dw] = dilations.length === 4 ? [dilations[1], dilations[2]] : [1, 1];
  const padding = attrText(node.attr?.padding) ?? "VALID";
  const explicit = attrInts(node.attr?.explicit_paddings);
  if (!["SAME", "VALID", "EXPLICIT"].includes(padding)) {
    throw new Error(`${where}: padding ${padding} is not supported`);
  }
  if (padding === "EXPLICIT" && explicit.length !== 8) {
    throw new Error(`${where}: EXPLICIT padding needs 8 explicit_paddings, got ${explicit.length}`);
  }
  const [h, w] = [x.dims[1], x.dims[2]];
  const ho = convOutSize(h, kh, sh, dh, padding, explicit.slice(2, 4));
  const wo = convOutSize(w, kw, sw, dw, padding, explicit.slice(4, 6));
  const attributes: Record<string, Attribute> = {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: [sh, sw] },
    dilations: { ints: [dh, dw] },
    group: { int: group },
  };
  if (padding === "EXPLICIT") attributes.pads = { ints: [explicit[2], explicit[4], explicit[3], explicit[5]] };
  else if (padding === "SAME" && typeof h === "number" && typeof w === "number") {
    const th = samePadding(h, ho as number, kh, sh, dh), tw = samePadding(w, wo as number, kw, sw, dw);
    attributes.pads = {
      ints: [Math.floor(th / 2), Math.floor(tw / 2), th - Math.floor(th / 2), tw - Math.floor(tw / 2)],
    };
  } else if (padding === "SAME") attributes.auto_pad = { string: "SAME_UPPER" };
  const dims: Dim[] = [x.dims[0], ho, wo, outChannels];
  return { attributes, dims };
}

/** Converts one TF convolution node (`inputs`: its data inputs, control inputs removed). */
export function convertConv(ctx: ConversionContext, node: TfjsNode, inputs: string[]): Value {
  const g = ctx.graph, where = `node ${node.name}`;
  const depthwise = node.op.includes("Depthwise");
  const format = attrText(node.attr?.data_format) ?? "NHWC";
  if (format !== "NHWC") throw new Error(`${where}: data_format ${format} is not supported (NHWC only)`);
  const x = ctx.value(inputs[0], node.name);
  if (x.dims.length !== 4) throw new Error(`${where}: input of rank ${x.dims.length}, expected NHWC rank 4`);
  const filter = ctx.constant(inputs[1].split(":")[0], node.name);
  const [kh, kw, ci, m] = filter.weight.shape;
  const channels = x.dims[3];
  if (typeof channels === "number" && channels !== ci) {
    throw new Error(`${where}: input has ${channels} channels, the filter expects ${ci}`);
  }
  const outChannels = depthwise ? ci * m : m;
  // a depthwise filter [kh, kw, C, M] is an HWIO filter with one input channel and C·M outputs
  const weights = hwioToOihw(filter.floats, depthwise ? [kh, kw, 1, outChannels] : [kh, kw, ci, m]);
  const { attributes, dims } = convGeometry(node, x, kh, kw, depthwise ? ci : 1, outChannels);

  const fused = (node.attr?.fused_ops?.list?.s ?? []).map((s) => atob(s));
  const args = inputs.slice(2);
  let argIndex = 0;
  const nextArg = (what: string) => {
    if (argIndex >= args.length) throw new Error(`${where}: fused ${what} has no argument input`);
    return ctx.value(args[argIndex++], node.name);
  };
  const convInputs = [
    x.name,
    g.initializer(`${node.name}/weights_oihw`, [outChannels, depthwise ? 1 : ci, kh, kw], { float32: weights }),
  ];
  let activation: string | null = null;
  for (const [k, op] of fused.entries()) {
    if (op === "BiasAdd" && k === 0) convInputs.push(nextArg("BiasAdd").name);
    else if (k === fused.length - 1 && FUSED_ACTIVATIONS.includes(op)) activation = op;
    else throw new Error(`${where}: fused op ${op} (in ${JSON.stringify(fused)}) is not supported`);
  }
  const [nchw] = g.node("Transpose", [x.name], { perm: { ints: [0, 3, 1, 2] } }, `${node.name}/to_nchw`);
  convInputs[0] = nchw;
  const [conv] = g.node("Conv", convInputs, attributes, `${node.name}/conv`);
  const last = activation === null ? node.name : `${node.name}/conv_nhwc`;
  let [out] = g.node("Transpose", [conv], { perm: { ints: [0, 2, 3, 1] } }, last);
  if (activation === "Relu") [out] = g.node("Relu", [out], {}, node.name);
  else if (activation === "Relu6") {
    [out] = g.node(
      "Clip",
      [out, g.floats(`${node.name}/zero`, [], [0]), g.floats(`${node.name}/six`, [], [6])],
      {},
      node.name,
    );
  } else if (activation === "Prelu") [out] = g.node("PRelu", [out, nextArg("Prelu").name], {}, node.name);
  return { name: out, dims };
}
