/**
 * Parameter blocks of the convolution family: the geometry shared by the reference, wasm and WebGPU backends, the
 * wasm kernels' block and the WebGPU shaders' uniform block.
 * @module
 */
import type { Conv2dAttrs } from "../kernels.ts";
import { paramBlock, type ScalarValues } from "../params.ts";
import { GEMM_SPLIT } from "./gemm.ts";

/** Convolution geometry (NHWC input, HWIO filter), one layout for the reference, wasm and WebGPU backends. */
export const CONV_GEOMETRY = paramBlock("ConvGeom", "Convolution geometry: NHWC input and output, HWIO filter.", [
  "c",
  "wgsl",
], {
  n: "u32",
  h: "u32",
  w: "u32",
  c: "u32",
  oh: "u32",
  ow: "u32",
  o: "u32",
  kh: "u32",
  kw: "u32",
  /** input channels per group */
  cg: "u32",
  /** output channels per group */
  og: "u32",
  sh: "u32",
  sw: "u32",
  ph: "i32",
  pw: "i32",
  dh: "u32",
  dw: "u32",
  groups: "u32",
});

/** Values of {@link CONV_GEOMETRY}. */
export type ConvGeometry = ScalarValues<typeof CONV_GEOMETRY.fields>;

/**
 * The geometry of a convolution of input `x` [N,H,W,C] by filter `w` [KH,KW,C/groups,O] into `y` [N,OH,OW,O]
 * (for a gradient: the shapes of the forward convolution).
 */
export function convGeometry(
  x: readonly number[],
  w: readonly number[],
  y: readonly number[],
  a: Conv2dAttrs,
): ConvGeometry {
  return {
    n: x[0],
    h: x[1],
    w: x[2],
    c: x[3],
    oh: y[1],
    ow: y[2],
    o: y[3],
    kh: w[0],
    kw: w[1],
    cg: x[3] / a.groups,
    og: y[3] / a.groups,
    sh: a.strides[0],
    sw: a.strides[1],
    ph: a.padding[0],
    pw: a.padding[1],
    dh: a.dilations[0],
    dw: a.dilations[1],
    groups: a.groups,
  };
}

/**
 * The wasm convolution kernels (wasm-simd/conv2d.c, depthwise.c, winograd.c): the geometry, the tensors and
 * temporaries by role, and the group / image range a phase works on. Each kernel reads the fields it needs.
 */
export const CONV_KERNEL = paramBlock("ConvParams", "Parameters of the wasm convolution kernels.", ["c"], {
  geom: CONV_GEOMETRY,
  x: "ptr",
  w: "ptr",
  y: "ptr",
  dy: "ptr",
  dx: "ptr",
  dw: "ptr",
  /** im2col rows of conv2d_grad_input, read back by col2im */
  col: "ptr",
  /** per-chunk partial filter gradients, summed later in chunk order */
  partials: "ptr",
  /** the filter (or transformed filter) packed for the GEMM */
  packed: "ptr",
  /** Winograd-transformed filters or filter gradients */
  transformed: "ptr",
  /** the channel group of this call */
  group: "u32",
  /** first image and image count of a conv2d_grad_input phase */
  first: "u32",
  images: "u32",
  /** winograd_filter: the filter is rotated by 180° and its channels swapped (input-gradient convolution) */
  flip: "u32",
  /** the Winograd kernels: output tile size, 2 (F(2×2, 3×3)) or 4 (F(4×4, 3×3)) */
  tile: "u32",
  /**
   * Parts per task (0 means 1) when a call has few tasks: conv2d and conv2d_grad_input's GEMM and the Winograd
   * forward, column parts (see `column_part` in gemm.h); conv2d_grad_weight and the Winograd filter gradient, parts of
   * the filter rows in GEMM_MC blocks
   */
  col_parts: "u32",
  /**
   * conv2d_winograd: output tiles per task block, a multiple of 4 up to WINO_MC (m = 2) or WINO4_MC (m = 4); 0 means
   * that most
   */
  block: "u32",
});

/** The WebGPU convolution shaders: geometry and split-K. */
export const CONV_SHADER = paramBlock("ConvShaderParams", "Uniform parameters of the convolution shaders.", [
  "wgsl",
], { geom: CONV_GEOMETRY, split: GEMM_SPLIT });
