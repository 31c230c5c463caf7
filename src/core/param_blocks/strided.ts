/**
 * Parameter blocks of the strided kernels: broadcasting binary ops and `where`, reductions and data movement.
 * WASM runs them all through one strided kernel (wasm-simd/strided.c); WebGPU has a block per shader family
 * (`_broadcast.wgsl`, `_copy.wgsl`, `pad.wgsl`, `_reduce.wgsl`). Shapes and strides are in elements, rank at most
 * 6 (wasm, after merging axes) or 8 (WebGPU).
 * @module
 */
import { paramBlock, words } from "../params.ts";
import { stridesOf } from "../shape.ts";

/** Rank of the wasm strided kernels (MAX_RANK in wasm-simd/simd.h). */
export const STRIDED_RANK = 6;

/**
 * wasm strided kernels: operands y, a, b, c over the iteration shape `dims`; `strides` holds the strides of y, a, b
 * and c one after another (STRIDED_RANK each). `init` > 0: elements of y to initialise first (reductions).
 */
export const STRIDED_KERNEL = paramBlock("StridedParams", "Parameters of the wasm strided kernels.", ["c"], {
  init: "u32",
  y: "ptr",
  a: "ptr",
  b: "ptr",
  c: "ptr",
  dims: words(STRIDED_RANK),
  strides: words(4 * STRIDED_RANK),
});

/** Highest rank of the WebGPU shape-generic shaders. */
export const SHADER_RANK = 8;

/** `_broadcast.wgsl`: output shape and the broadcast strides of up to three inputs (SHADER_RANK words each). */
export const BROADCAST_SHADER = paramBlock("BroadcastShaderParams", "Uniform parameters of the broadcasting shaders.", [
  "wgsl",
], {
  n: "u32",
  rank: "u32",
  shape: words(SHADER_RANK),
  strides: words(3 * SHADER_RANK),
});

/** `_copy.wgsl`: dst[dst_base + Σ idx·dst_strides] = src[src_base + Σ idx·src_strides] over `shape`. */
export const COPY_SHADER = paramBlock("CopyShaderParams", "Uniform parameters of the strided-copy shaders.", ["wgsl"], {
  n: "u32",
  rank: "u32",
  src_base: "u32",
  dst_base: "u32",
  shape: words(SHADER_RANK),
  src_strides: words(SHADER_RANK),
  dst_strides: words(SHADER_RANK),
});

/** `pad.wgsl`: output and input shapes and the zero rows added before each axis. */
export const PAD_SHADER = paramBlock("PadShaderParams", "Uniform parameters of the pad shader.", ["wgsl"], {
  n: "u32",
  rank: "u32",
  out_shape: words(SHADER_RANK),
  in_shape: words(SHADER_RANK),
  before: words(SHADER_RANK),
});

/** `_reduce.wgsl`: output element o reduces `reduced` inputs at kept offset(o) + reduced offset(r). */
export const REDUCE_SHADER = paramBlock("ReduceShaderParams", "Uniform parameters of the reduction shaders.", [
  "wgsl",
], {
  n_out: "u32",
  reduced: "u32",
  kept_rank: "u32",
  reduced_rank: "u32",
  kept_shape: words(SHADER_RANK),
  kept_strides: words(SHADER_RANK),
  reduced_shape: words(SHADER_RANK),
  reduced_strides: words(SHADER_RANK),
});

/** Nearest upsampling as a strided copy: iteration shape and the element strides of the input and the output. */
export interface UpsampleCopy {
  /** [N, H, sh, W, sw, C] */
  shape: number[];
  /** input strides (0 along the repeated axes sh and sw) */
  srcStrides: number[];
  /** output strides (row-major over `shape`, which is the NHWC output layout) */
  dstStrides: number[];
}

/** The strided copy that upsamples NHWC `x` by integer `scale` (shared by the wasm and WebGPU kernels). */
export function upsampleCopy(x: readonly number[], scale: readonly [number, number]): UpsampleCopy {
  const [n, h, w, c] = x;
  const shape = [n, h, scale[0], w, scale[1], c];
  return { shape, srcStrides: [h * w * c, w * c, 0, c, 0, 1], dstStrides: stridesOf(shape) };
}
