/**
 * Reference kernels for element-wise ops (unary, binary with broadcasting, comparisons, where).
 * @module
 */
import type { KernelAttrs } from "../../core/kernels.ts";
import { broadcastStrides } from "../../core/shape.ts";
import { normalCdf } from "./normal_cdf.ts";
import { arr, type RefView } from "./storage.ts";

type UnaryFn = (x: number) => number;

/** Applies `fn` to every element of input 0 into output 0. */
export function mapUnary(inputs: readonly RefView[], outputs: readonly RefView[], fn: UnaryFn): void {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  for (let i = 0; i < y.length; i++) y[i] = fn(x[i]);
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Unary kernel functions by op name (attributes bound per call). */
export const unaryFunctions = {
  relu: () => (x: number) => (x > 0 ? x : 0),
  relu6: () => (x: number) => Math.min(Math.max(x, 0), 6),
  sigmoid: () => sigmoid,
  tanh: () => Math.tanh,
  swish: () => (x: number) => x * sigmoid(x),
  gelu: () => (x: number) => x * normalCdf(x),
  normal_cdf: () => normalCdf,
  hard_swish: () => (x: number) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6,
  hard_sigmoid: () => (x: number) => Math.min(Math.max(x / 6 + 0.5, 0), 1),
  neg: () => (x: number) => -x,
  exp: () => Math.exp,
  log: () => Math.log,
  sqrt: () => Math.sqrt,
  abs: () => Math.abs,
  cos: () => Math.cos,
  sin: () => Math.sin,
  acos: () => Math.acos,
  pow: (a: KernelAttrs["pow"]) => (x: number) => Math.pow(x, a.exponent),
  clamp: (a: KernelAttrs["clamp"]) => (x: number) => Math.min(Math.max(x, a.min), a.max),
  affine: (a: KernelAttrs["affine"]) => (x: number) => a.scale * x + a.shift,
};

/** Binary kernel functions by op name. */
export const binaryFunctions = {
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  maximum: (a: number, b: number) => Math.max(a, b),
  minimum: (a: number, b: number) => Math.min(a, b),
  greater: (a: number, b: number) => (a > b ? 1 : 0),
  equal: (a: number, b: number) => (a === b ? 1 : 0),
};

/** Calls `visit(outIndex, offsets)` for every output element, with each input's broadcast offset. */
export function forEachBroadcast(
  outShape: readonly number[],
  inShapes: readonly (readonly number[])[],
  visit: (i: number, offsets: number[]) => void,
): void {
  const rank = outShape.length;
  const strides = inShapes.map((s) => broadcastStrides(s, outShape));
  const index = new Array<number>(rank).fill(0);
  const offsets = new Array<number>(inShapes.length).fill(0);
  const total = outShape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) {
    visit(i, offsets);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][d];
      if (index[d] < outShape[d]) break;
      for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][d] * outShape[d];
      index[d] = 0;
    }
  }
}

/** Applies a binary function with NumPy broadcasting. */
export function mapBinary(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  fn: (a: number, b: number) => number,
): void {
  const a = arr(inputs[0]);
  const b = arr(inputs[1]);
  const y = arr(outputs[0]);
  forEachBroadcast(outputs[0].shape, [inputs[0].shape, inputs[1].shape], (i, [oa, ob]) => {
    y[i] = fn(a[oa], b[ob]);
  });
}

/** `where`: cond ≠ 0 ? a : b with broadcasting. */
export function whereKernel(inputs: readonly RefView[], outputs: readonly RefView[]): void {
  const [c, a, b] = inputs.map(arr);
  const y = arr(outputs[0]);
  forEachBroadcast(outputs[0].shape, inputs.map((t) => t.shape), (i, [oc, oa, ob]) => {
    y[i] = c[oc] !== 0 ? a[oa] : b[ob];
  });
}
