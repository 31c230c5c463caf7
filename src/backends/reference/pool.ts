/**
 * Reference kernels for max, average and global average pooling (PyTorch window and divisor rules), and the sum
 * pool that is the gradient of nearest upsampling.
 * @module
 */
import type { AvgPool2dAttrs, KernelAttrs, Pool2dAttrs } from "../../core/kernels.ts";
import { arr, type RefView } from "./storage.ts";

/** Calls `visit(n, oy, ox, y0, y1, x0, x1, divisorArea)` with each window clipped to the image. */
function forEachWindow(
  x: readonly number[],
  y: readonly number[],
  a: Pool2dAttrs,
  visit: (n: number, oy: number, ox: number, y0: number, y1: number, x0: number, x1: number, padArea: number) => void,
): void {
  const [, h, w] = x;
  for (let n = 0; n < y[0]; n++) {
    for (let oy = 0; oy < y[1]; oy++) {
      const ys = oy * a.strides[0] - a.padding[0];
      const ye = Math.min(ys + a.kernel[0], h + a.padding[0]);
      for (let ox = 0; ox < y[2]; ox++) {
        const xs = ox * a.strides[1] - a.padding[1];
        const xe = Math.min(xs + a.kernel[1], w + a.padding[1]);
        const padArea = (ye - ys) * (xe - xs);
        visit(n, oy, ox, Math.max(ys, 0), Math.min(ye, h), Math.max(xs, 0), Math.min(xe, w), padArea);
      }
    }
  }
}

/** Max pooling with argmax (first maximum in window order). */
export function maxPool2dKernel(inputs: readonly RefView[], outputs: readonly RefView[], attrs: Pool2dAttrs) {
  const x = arr(inputs[0]);
  const [y, argmax] = outputs.map(arr);
  const [, h, w, c] = inputs[0].shape;
  const [, oh, ow] = outputs[0].shape;
  forEachWindow(inputs[0].shape, outputs[0].shape, attrs, (n, oy, ox, y0, y1, x0, x1) => {
    for (let ch = 0; ch < c; ch++) {
      let best = -Infinity;
      let at = -1;
      for (let iy = y0; iy < y1; iy++) {
        for (let ix = x0; ix < x1; ix++) {
          const v = x[((n * h + iy) * w + ix) * c + ch];
          if (v > best || (at < 0 && Number.isNaN(v))) {
            best = v;
            at = iy * w + ix;
          }
        }
      }
      const o = ((n * oh + oy) * ow + ox) * c + ch;
      y[o] = best;
      argmax[o] = at;
    }
  });
}

/** Max pooling backward: each dy goes to its argmax, in output order. */
export function maxPool2dGradKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const [dy, argmax] = inputs.map(arr);
  const dx = arr(outputs[0]);
  const [, h, w, c] = outputs[0].shape;
  const [n, oh, ow] = inputs[0].shape;
  dx.fill(0);
  for (let b = 0; b < n; b++) {
    for (let p = 0; p < oh * ow; p++) {
      for (let ch = 0; ch < c; ch++) {
        const o = (b * oh * ow + p) * c + ch;
        dx[(b * h * w + argmax[o]) * c + ch] += dy[o];
      }
    }
  }
}

function divisor(a: AvgPool2dAttrs, y0: number, y1: number, x0: number, x1: number, padArea: number): number {
  return a.countIncludePad ? padArea : (y1 - y0) * (x1 - x0);
}

/** Average pooling. */
export function avgPool2dKernel(inputs: readonly RefView[], outputs: readonly RefView[], attrs: AvgPool2dAttrs) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  const [, h, w, c] = inputs[0].shape;
  const [, oh, ow] = outputs[0].shape;
  forEachWindow(inputs[0].shape, outputs[0].shape, attrs, (n, oy, ox, y0, y1, x0, x1, padArea) => {
    const div = divisor(attrs, y0, y1, x0, x1, padArea);
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += x[((n * h + iy) * w + ix) * c + ch];
      y[((n * oh + oy) * ow + ox) * c + ch] = s / div;
    }
  });
}

/** Average pooling backward. */
export function avgPool2dGradKernel(inputs: readonly RefView[], outputs: readonly RefView[], attrs: AvgPool2dAttrs) {
  const dy = arr(inputs[0]);
  const dx = arr(outputs[0]);
  const acc = new Float64Array(dx.length);
  const [, h, w, c] = outputs[0].shape;
  const [, oh, ow] = inputs[0].shape;
  forEachWindow(outputs[0].shape, inputs[0].shape, attrs, (n, oy, ox, y0, y1, x0, x1, padArea) => {
    const div = divisor(attrs, y0, y1, x0, x1, padArea);
    for (let ch = 0; ch < c; ch++) {
      const g = dy[((n * oh + oy) * ow + ox) * c + ch] / div;
      for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) acc[((n * h + iy) * w + ix) * c + ch] += g;
    }
  });
  dx.set(acc);
}

/** Mean over H and W. */
export function globalAvgPoolKernel(inputs: readonly RefView[], outputs: readonly RefView[]) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  const [n, h, w, c] = inputs[0].shape;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let p = 0; p < h * w; p++) s += x[(b * h * w + p) * c + ch];
      y[b * c + ch] = s / (h * w);
    }
  }
}

/** Gradient of nearest upsampling: each dx pixel sums its sh×sw block of dy in row-major order. */
export function upsampleNearest2dGradKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  a: KernelAttrs["upsample_nearest2d_grad"],
) {
  const [sh, sw] = a.scale;
  const attrs: Pool2dAttrs = { kernel: [sh, sw], strides: [sh, sw], padding: [0, 0], ceilMode: false };
  const dy = arr(inputs[0]);
  const dx = arr(outputs[0]);
  const [, h, w, c] = inputs[0].shape;
  const [, oh, ow] = outputs[0].shape;
  forEachWindow(inputs[0].shape, outputs[0].shape, attrs, (n, oy, ox, y0, y1, x0, x1) => {
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += dy[((n * h + iy) * w + ix) * c + ch];
      dx[((n * oh + oy) * ow + ox) * c + ch] = s;
    }
  });
}
