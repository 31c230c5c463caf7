/**
 * Parameter blocks of bilinear resizing (`upsample_bilinear2d` and its gradient): the geometry shared by wasm and
 * WebGPU, the wasm kernels' block and the WebGPU shaders' uniform block.
 * @module
 */
import { paramBlock, type ScalarValues } from "../params.ts";

/** Resizing geometry: NHWC input [n, h, w, c], output [n, oh, ow, c], PyTorch's `align_corners`. */
export const RESIZE_GEOMETRY = paramBlock("ResizeGeom", "Bilinear resizing geometry: NHWC input and output sizes.", [
  "c",
  "wgsl",
], {
  n: "u32",
  h: "u32",
  w: "u32",
  c: "u32",
  oh: "u32",
  ow: "u32",
  /** 1: corner pixels of input and output coincide (source = o·(in − 1)/(out − 1)) */
  align_corners: "u32",
});

/** The geometry of resizing `x` [N,H,W,C] to `y` [N,OH,OW,C] (of the forward pass for the gradient). */
export function resizeGeometry(
  x: readonly number[],
  y: readonly number[],
  alignCorners: boolean,
): ScalarValues<typeof RESIZE_GEOMETRY.fields> {
  return { n: x[0], h: x[1], w: x[2], c: x[3], oh: y[1], ow: y[2], align_corners: alignCorners ? 1 : 0 };
}

/** The wasm resizing kernels (wasm-simd/resize.c). */
export const RESIZE_KERNEL = paramBlock("ResizeParams", "Parameters of the wasm resizing kernels.", ["c"], {
  geom: RESIZE_GEOMETRY,
  /** x (forward) or dy (gradient) */
  src: "ptr",
  /** y (forward) or dx (gradient) */
  dst: "ptr",
});

/** The WebGPU resizing shaders (`_resize.wgsl`): the geometry and the element count of the dispatch. */
export const RESIZE_SHADER = paramBlock("ResizeShaderParams", "Uniform parameters of the resizing shaders.", [
  "wgsl",
], {
  geom: RESIZE_GEOMETRY,
  /** elements the dispatch computes (one invocation each) */
  total: "u32",
});
