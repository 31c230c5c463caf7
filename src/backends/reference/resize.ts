/**
 * Reference kernels of bilinear resizing (PyTorch's `upsample_bilinear2d` source coordinates and tap weights).
 * @module
 */
import type { KernelAttrs } from "../../core/kernels.ts";
import { arr, type RefView } from "./storage.ts";

/** The two input taps of one output coordinate along an axis and their weights (w0 + w1 = 1). */
interface Tap {
  i0: number;
  i1: number;
  w0: number;
  w1: number;
}

/** Taps of every output coordinate of an axis resized from `size` to `out` (PyTorch's rule, clamped at 0). */
function axisTaps(size: number, out: number, alignCorners: boolean): Tap[] {
  const scale = alignCorners ? (out > 1 ? (size - 1) / (out - 1) : 0) : size / out;
  return Array.from({ length: out }, (_, o) => {
    const src = alignCorners ? scale * o : Math.max(scale * (o + 0.5) - 0.5, 0);
    const i0 = Math.floor(src);
    const w1 = Math.min(Math.max(src - i0, 0), 1);
    return { i0, i1: i0 < size - 1 ? i0 + 1 : i0, w0: 1 - w1, w1 };
  });
}

/** Bilinear resizing: y = w0h·(w0w·x00 + w1w·x01) + w1h·(w0w·x10 + w1w·x11). */
export function upsampleBilinear2dKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  a: KernelAttrs["upsample_bilinear2d"],
) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  const [n, h, w, c] = inputs[0].shape;
  const [, oh, ow] = outputs[0].shape;
  const rows = axisTaps(h, oh, a.alignCorners);
  const cols = axisTaps(w, ow, a.alignCorners);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const r = rows[oy];
      for (let ox = 0; ox < ow; ox++) {
        const k = cols[ox];
        const at = (iy: number, ix: number) => ((b * h + iy) * w + ix) * c;
        const [p00, p01, p10, p11] = [at(r.i0, k.i0), at(r.i0, k.i1), at(r.i1, k.i0), at(r.i1, k.i1)];
        const o = ((b * oh + oy) * ow + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          y[o + ch] = r.w0 * (k.w0 * x[p00 + ch] + k.w1 * x[p01 + ch]) +
            r.w1 * (k.w0 * x[p10 + ch] + k.w1 * x[p11 + ch]);
        }
      }
    }
  }
}

/** Gradient of bilinear resizing: each dy added to its four taps with the forward weights, in output order. */
export function upsampleBilinear2dGradKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  a: KernelAttrs["upsample_bilinear2d_grad"],
) {
  const dy = arr(inputs[0]);
  const dx = arr(outputs[0]);
  const [n, h, w, c] = outputs[0].shape;
  const [, oh, ow] = inputs[0].shape;
  const rows = axisTaps(h, oh, a.alignCorners);
  const cols = axisTaps(w, ow, a.alignCorners);
  const acc = new Float64Array(dx.length);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const r = rows[oy];
      for (let ox = 0; ox < ow; ox++) {
        const k = cols[ox];
        const o = ((b * oh + oy) * ow + ox) * c;
        const taps: [number, number, number][] = [
          [r.i0, k.i0, r.w0 * k.w0],
          [r.i0, k.i1, r.w0 * k.w1],
          [r.i1, k.i0, r.w1 * k.w0],
          [r.i1, k.i1, r.w1 * k.w1],
        ];
        for (const [iy, ix, weight] of taps) {
          const p = ((b * h + iy) * w + ix) * c;
          for (let ch = 0; ch < c; ch++) acc[p + ch] += weight * dy[o + ch];
        }
      }
    }
  }
  dx.set(acc);
}
