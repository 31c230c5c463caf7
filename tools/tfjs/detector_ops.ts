/**
 * TF ops that detectors such as BlazeFace use, converted to ONNX: `MaxPool` (NHWC, SAME / VALID), `Pad` (zeros,
 * paddings a constant) and `Reshape` (shape a constant). Semantics after the TensorFlow documentation of each op.
 * @module
 */
import type { Dim } from "../../src/models/onnx/graph.ts";
import type { ConversionContext, Value } from "./context.ts";
import { attrInts, attrText, type TfjsNode } from "./graph_model.ts";
import { convOutSize } from "./shape_rules.ts";

/** TF `MaxPool` (NHWC, window and stride on H and W only) as ONNX MaxPool between NHWC↔NCHW transposes. */
export function convertMaxPool(context: ConversionContext, node: TfjsNode, x: Value): Value {
  const where = `node ${node.name}`;
  const format = attrText(node.attr?.data_format) ?? "NHWC";
  if (format !== "NHWC") throw new Error(`${where}: data_format ${format} is not supported (NHWC only)`);
  if (x.dims.length !== 4) throw new Error(`${where}: input of rank ${x.dims.length}, expected NHWC rank 4`);
  const ksize = attrInts(node.attr?.ksize), strides = attrInts(node.attr?.strides);
  if (ksize.length !== 4 || strides.length !== 4 || ksize[0] !== 1 || ksize[3] !== 1 || strides[0] !== 1) {
    throw new Error(`${where}: ksize [${ksize}] / strides [${strides}] must pool over H and W only`);
  }
  const padding = attrText(node.attr?.padding) ?? "VALID";
  if (padding !== "SAME" && padding !== "VALID") throw new Error(`${where}: padding ${padding} is not supported`);
  const [kh, kw, sh, sw] = [ksize[1], ksize[2], strides[1], strides[2]];
  const ho = convOutSize(x.dims[1], kh, sh, 1, padding, []), wo = convOutSize(x.dims[2], kw, sw, 1, padding, []);
  const attributes: Record<string, { ints: number[] } | { string: string }> = {
    kernel_shape: { ints: [kh, kw] },
    strides: { ints: [sh, sw] },
  };
  // SAME: TF pads the odd pixel after and never lets padding win the max, which is ONNX's SAME_UPPER
  if (padding === "SAME") attributes.auto_pad = { string: "SAME_UPPER" };
  const g = context.graph;
  const [nchw] = g.node("Transpose", [x.name], { perm: { ints: [0, 3, 1, 2] } }, `${node.name}/to_nchw`);
  const [pooled] = g.node("MaxPool", [nchw], attributes, `${node.name}/pool`);
  const [out] = g.node("Transpose", [pooled], { perm: { ints: [0, 2, 3, 1] } }, node.name);
  return { name: out, dims: [x.dims[0], ho, wo, x.dims[3]] };
}

/** TF `Pad` (zeros; `paddings` a constant [rank, 2] of before/after counts) as ONNX Pad in constant mode. */
export function convertPad(context: ConversionContext, node: TfjsNode, x: Value, paddingsRef: string): Value {
  const paddings = context.constant(paddingsRef.split(":")[0], node.name);
  const rank = x.dims.length;
  if (paddings.weight.shape.join() !== `${rank},2`) {
    throw new Error(`node ${node.name}: paddings of shape [${paddings.weight.shape}], expected [${rank}, 2]`);
  }
  const before = Array.from({ length: rank }, (_, k) => paddings.ints[2 * k]);
  const after = Array.from({ length: rank }, (_, k) => paddings.ints[2 * k + 1]);
  if ([...before, ...after].some((p) => p < 0)) throw new Error(`node ${node.name}: negative paddings`);
  const dims = x.dims.map((d, k) => (typeof d === "number" ? d + before[k] + after[k] : d));
  const pads = context.graph.int64s(`${node.name}/pads`, [...before, ...after]);
  return { name: context.graph.node("Pad", [x.name, pads], { mode: { string: "constant" } }, node.name)[0], dims };
}

/** TF `Reshape` with a constant shape (one −1 allowed; a 0 is refused: TF means an empty axis, ONNX a copied one). */
export function convertReshape(context: ConversionContext, node: TfjsNode, x: Value, shapeRef: string): Value {
  const shape = Array.from(context.constant(shapeRef.split(":")[0], node.name).ints);
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
  const target = context.graph.int64s(`${node.name}/shape`, shape);
  return { name: context.graph.node("Reshape", [x.name, target], {}, node.name)[0], dims };
}
