/**
 * Reference kernels that move data: concat, slice, pad, copy and reshape, transpose, channel shuffle.
 * @module
 */
import type { KernelAttrs } from "../../core/kernels.ts";
import { stridesOf } from "../../core/shape.ts";
import { arr, type RefView } from "./storage.ts";

/** Calls `visit(flat, index)` for every index of `shape` in row-major order (index is reused). */
function forEachIndex(shape: readonly number[], visit: (flat: number, index: number[]) => void): void {
  const index = new Array<number>(shape.length).fill(0);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < total; i++) {
    visit(i, index);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
}

function offsetOf(index: readonly number[], strides: readonly number[], shift?: readonly number[]): number {
  let o = 0;
  for (let d = 0; d < index.length; d++) o += (index[d] + (shift ? shift[d] : 0)) * strides[d];
  return o;
}

/** Concatenation along an axis. */
export function concatKernel(inputs: readonly RefView[], outputs: readonly RefView[], a: KernelAttrs["concat"]) {
  const y = arr(outputs[0]);
  const outStrides = stridesOf(outputs[0].shape);
  let start = 0;
  for (const t of inputs) {
    const x = arr(t);
    const shift = t.shape.map((_, d) => (d === a.axis ? start : 0));
    forEachIndex(t.shape, (i, index) => {
      y[offsetOf(index, outStrides, shift)] = x[i];
    });
    start += t.shape[a.axis];
  }
}

/** Window copy. */
export function sliceKernel(inputs: readonly RefView[], outputs: readonly RefView[], a: KernelAttrs["slice"]) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  const inStrides = stridesOf(inputs[0].shape);
  forEachIndex(outputs[0].shape, (i, index) => {
    y[i] = x[offsetOf(index, inStrides, a.begin)];
  });
}

/** Zero padding. */
export function padKernel(inputs: readonly RefView[], outputs: readonly RefView[], a: KernelAttrs["pad"]) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  y.fill(0);
  const outStrides = stridesOf(outputs[0].shape);
  forEachIndex(inputs[0].shape, (i, index) => {
    y[offsetOf(index, outStrides, a.before)] = x[i];
  });
}

/** Copy of every element in row-major order: `copy`, and `reshape` (whose output only has another shape). */
export function copyKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  arr(outputs[0]).set(arr(inputs[0]));
}

/** Axis permutation. */
export function transposeKernel(inputs: readonly RefView[], outputs: readonly RefView[], a: KernelAttrs["transpose"]) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  const inStrides = stridesOf(inputs[0].shape);
  const permuted = a.perm.map((p) => inStrides[p]);
  forEachIndex(outputs[0].shape, (i, index) => {
    y[i] = x[offsetOf(index, permuted)];
  });
}

/** ShuffleNet channel shuffle on NHWC. */
export function channelShuffleKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  a: KernelAttrs["channel_shuffle"],
) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  const c = inputs[0].shape[3];
  const perGroup = c / a.groups;
  for (let base = 0; base < x.length; base += c) {
    for (let g = 0; g < a.groups; g++) {
      for (let k = 0; k < perGroup; k++) y[base + k * a.groups + g] = x[base + g * perGroup + k];
    }
  }
}

/** Nearest-neighbour upsampling on NHWC: output pixel (y, x) copies input pixel (⌊y/sh⌋, ⌊x/sw⌋). */
export function upsampleNearest2dKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  a: KernelAttrs["upsample_nearest2d"],
) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  const [, h, w, c] = inputs[0].shape;
  const [n, oh, ow] = outputs[0].shape;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const src = ((b * h + Math.floor(oy / a.scale[0])) * w + Math.floor(ox / a.scale[1])) * c;
        y.set(x.subarray(src, src + c), ((b * oh + oy) * ow + ox) * c);
      }
    }
  }
}
