/**
 * Reference kernels for matrix multiplication and 2-D convolution (NHWC / HWIO), accumulated in float64.
 * @module
 */
import type { Conv2dAttrs, KernelAttrs } from "../../core/kernels.ts";
import { type ConvGeometry, convGeometry } from "../../core/param_blocks/mod.ts";
import { arr, type RefView } from "./storage.ts";

/** C = op(A) · op(B), or with rank-3 views C[g] = op(A[g]) · op(B[g]) for every batch entry g. */
export function matmulKernel(inputs: readonly RefView[], outputs: readonly RefView[], attrs: KernelAttrs["matmul"]) {
  const a = arr(inputs[0]);
  const b = arr(inputs[1]);
  const c = arr(outputs[0]);
  const [m, n] = outputs[0].shape.slice(-2);
  const batch = outputs[0].size / (m * n);
  const k = attrs.transposeA ? inputs[0].shape.at(-2)! : inputs[0].shape.at(-1)!;
  // Element strides of op(A)[i, p] and op(B)[p, j].
  const [aRow, aCol] = attrs.transposeA ? [1, m] : [k, 1];
  const [bRow, bCol] = attrs.transposeB ? [1, k] : [n, 1];
  for (let g = 0; g < batch; g++) {
    const [a0, b0, c0] = [g * m * k, g * k * n, g * m * n];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a[a0 + i * aRow + p * aCol] * b[b0 + p * bRow + j * bCol];
        c[c0 + i * n + j] = s;
      }
    }
  }
}

/**
 * Visits every (output pixel, filter tap) pair whose input pixel lies inside the image:
 * `visit(xBase, yBase, wBase)` gets the flat offsets of channel 0 at the input pixel, output pixel and tap.
 */
function forEachTap(g: ConvGeometry, visit: (xBase: number, yBase: number, wBase: number) => void): void {
  const { sh, sw, ph, pw, dh, dw } = g;
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yBase = ((b * g.oh + oy) * g.ow + ox) * g.o;
        for (let ky = 0; ky < g.kh; ky++) {
          const iy = oy * sh - ph + ky * dh;
          if (iy < 0 || iy >= g.h) continue;
          for (let kx = 0; kx < g.kw; kx++) {
            const ix = ox * sw - pw + kx * dw;
            if (ix < 0 || ix >= g.w) continue;
            visit(((b * g.h + iy) * g.w + ix) * g.c, yBase, (ky * g.kw + kx) * g.cg * g.o);
          }
        }
      }
    }
  }
}

/**
 * The two convolution kernels that multiply an input value by a row of O values: forward (y += x · w) and the
 * filter gradient (dw += x · dy). `other` is w or dy; `into` selects which side accumulates.
 */
function multiplyInputRows(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: Conv2dAttrs,
  into: "output" | "filter",
) {
  const x = arr(inputs[0]);
  const other = arr(inputs[1]);
  const [yShape, wShape] = into === "output"
    ? [outputs[0].shape, inputs[1].shape]
    : [inputs[1].shape, outputs[0].shape];
  const g = convGeometry(inputs[0].shape, wShape, yShape, attrs);
  const acc = new Float64Array(outputs[0].size);
  forEachTap(g, (xBase, yBase, wBase) => {
    for (let grp = 0; grp < attrs.groups; grp++) {
      for (let ci = 0; ci < g.cg; ci++) {
        const xv = x[xBase + grp * g.cg + ci];
        const wRow = wBase + ci * g.o + grp * g.og;
        const yRow = yBase + grp * g.og;
        const [readRow, writeRow] = into === "output" ? [wRow, yRow] : [yRow, wRow];
        for (let oc = 0; oc < g.og; oc++) acc[writeRow + oc] += xv * other[readRow + oc];
      }
    }
  });
  arr(outputs[0]).set(acc);
}

/** Forward convolution. */
export function conv2dKernel(inputs: readonly RefView[], outputs: readonly RefView[], attrs: Conv2dAttrs) {
  multiplyInputRows(inputs, outputs, attrs, "output");
}

/** Gradient of the convolution input. */
export function conv2dGradInputKernel(inputs: readonly RefView[], outputs: readonly RefView[], attrs: Conv2dAttrs) {
  const dy = arr(inputs[0]);
  const wt = arr(inputs[1]);
  const g = convGeometry(outputs[0].shape, inputs[1].shape, inputs[0].shape, attrs);
  const acc = new Float64Array(outputs[0].size);
  forEachTap(g, (xBase, yBase, wBase) => {
    for (let grp = 0; grp < attrs.groups; grp++) {
      for (let ci = 0; ci < g.cg; ci++) {
        const wRow = wBase + ci * g.o + grp * g.og;
        const yRow = yBase + grp * g.og;
        let s = 0;
        for (let oc = 0; oc < g.og; oc++) s += dy[yRow + oc] * wt[wRow + oc];
        acc[xBase + grp * g.cg + ci] += s;
      }
    }
  });
  arr(outputs[0]).set(acc);
}

/** Gradient of the convolution filter. */
export function conv2dGradWeightKernel(inputs: readonly RefView[], outputs: readonly RefView[], attrs: Conv2dAttrs) {
  multiplyInputRows(inputs, outputs, attrs, "filter");
}
