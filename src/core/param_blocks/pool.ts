/**
 * Parameter blocks of the pooling family: the geometry shared by wasm and WebGPU, the wasm kernels' block and the
 * WebGPU shaders' uniform block.
 * @module
 */
import type { Pool2dAttrs } from "../kernels.ts";
import { paramBlock, type ScalarValues } from "../params.ts";

/** Pooling geometry (NHWC input and output, PyTorch window rules), one layout for wasm and WebGPU. */
export const POOL_GEOMETRY = paramBlock("PoolGeom", "Pooling geometry: NHWC input and output, window.", [
  "c",
  "wgsl",
], {
  n: "u32",
  h: "u32",
  w: "u32",
  c: "u32",
  oh: "u32",
  ow: "u32",
  kh: "u32",
  kw: "u32",
  sh: "u32",
  sw: "u32",
  ph: "i32",
  pw: "i32",
  /** average pooling counts the zero padding in the divisor */
  include_pad: "u32",
});

/** The pooling geometry of input `x` [N,H,W,C] and output `y` [N,OH,OW,C] (of the forward pass for gradients). */
export function poolGeometry(
  x: readonly number[],
  y: readonly number[],
  a: Pool2dAttrs & { countIncludePad?: boolean },
): ScalarValues<typeof POOL_GEOMETRY.fields> {
  return {
    n: x[0],
    h: x[1],
    w: x[2],
    c: x[3],
    oh: y[1],
    ow: y[2],
    kh: a.kernel[0],
    kw: a.kernel[1],
    sh: a.strides[0],
    sw: a.strides[1],
    ph: a.padding[0],
    pw: a.padding[1],
    include_pad: a.countIncludePad ? 1 : 0,
  };
}

/** The wasm pooling kernels (wasm-simd/pool.c). */
export const POOL_KERNEL = paramBlock("PoolParams", "Parameters of the wasm pooling kernels.", ["c"], {
  geom: POOL_GEOMETRY,
  /** x (forward) or dy (gradients) */
  src: "ptr",
  /** y (forward) or dx (gradients) */
  dst: "ptr",
  argmax: "iptr",
});

/** The WebGPU pooling shaders (`_pool.wgsl`): the geometry and the element count of the dispatch. */
export const POOL_SHADER = paramBlock("PoolShaderParams", "Uniform parameters of the pooling shaders.", ["wgsl"], {
  geom: POOL_GEOMETRY,
  /** elements the dispatch computes (one invocation each) */
  total: "u32",
});

/** `global_avg_pool.wgsl`: x [n, hw, c] → y [n, c]. */
export const GLOBAL_POOL_SHADER = paramBlock(
  "GlobalPoolShaderParams",
  "Uniform parameters of the global_avg_pool shader.",
  ["wgsl"],
  { n: "u32", hw: "u32", c: "u32" },
);

/**
 * The geometry of the gradient of nearest upsampling by `scale`: a sum pool of dy [N, H·sh, W·sw, C] into
 * dx [N, H, W, C] (window = stride = scale, no padding); the kernels ignore `include_pad`.
 */
export function upsampleGradGeometry(
  dy: readonly number[],
  dx: readonly number[],
  scale: readonly [number, number],
): ScalarValues<typeof POOL_GEOMETRY.fields> {
  const block: [number, number] = [scale[0], scale[1]];
  return poolGeometry(dy, dx, { kernel: block, strides: block, padding: [0, 0], ceilMode: false });
}
