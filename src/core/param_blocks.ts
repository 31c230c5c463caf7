/**
 * The parameter blocks of the kernel families, declared once by name: `deno task gen` writes them as C structs
 * (`wasm-simd/params.h`) and WGSL structs (`shaders/_params_*.wgsl`), and the wasm and WebGPU backends fill them
 * by field name. Blocks that hold pointers are C-only; a WGSL block is bound as the uniform `P` of its shader.
 * Families not listed here still read positional slots (`PI(k)` in C, `pu(k)` in WGSL).
 * @module
 */
import type { Conv2dAttrs, Pool2dAttrs } from "./kernels.ts";
import { type Fields, paramBlock } from "./params.ts";

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

/** Every field of a block of scalars, as numbers. */
type Numbers<F extends Fields> = { [K in keyof F]: number };

/** Values of {@link CONV_GEOMETRY}. */
export type ConvGeometry = Numbers<typeof CONV_GEOMETRY.fields>;

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
});

/** The split-K words of the tiled WebGPU GEMM (`_gemm.wgsl`). */
export const GEMM_SPLIT = paramBlock("GemmSplit", "Split-K of the tiled GEMM: K chunks per group.", ["wgsl"], {
  groups: "u32",
  splits: "u32",
  chunk: "u32",
});

/** The WebGPU convolution shaders: geometry and split-K. */
export const CONV_SHADER = paramBlock("ConvShaderParams", "Uniform parameters of the convolution shaders.", [
  "wgsl",
], { geom: CONV_GEOMETRY, split: GEMM_SPLIT });

/** The WebGPU matmul shader: C [m, n] = A · B with element strides of op(A) and op(B). */
export const MATMUL_SHADER = paramBlock("MatmulShaderParams", "Uniform parameters of the matmul shader.", [
  "wgsl",
], {
  m: "u32",
  n: "u32",
  k: "u32",
  a_row: "u32",
  a_col: "u32",
  b_row: "u32",
  b_col: "u32",
  split: GEMM_SPLIT,
});

/** wasm `matmul` (wasm-simd/gemm.c): C [m, n] = A [m, k] · B [k, n], strided views, B packed. */
export const MATMUL_KERNEL = paramBlock("MatmulParams", "Parameters of the wasm matmul kernel.", ["c"], {
  m: "u32",
  n: "u32",
  k: "u32",
  a: "ptr",
  a_rs: "u32",
  a_cs: "u32",
  b: "ptr",
  b_rs: "u32",
  b_cs: "u32",
  c: "ptr",
  packed: "ptr",
});

/** wasm `pack_b`: `count` matrices B [k, n] (strided) packed for the GEMM, one after another. */
export const PACK_B_KERNEL = paramBlock("PackBParams", "Parameters of the wasm pack_b kernel.", ["c"], {
  k: "u32",
  n: "u32",
  b: "ptr",
  rs: "u32",
  cs: "u32",
  packed: "ptr",
  count: "u32",
  /** elements between consecutive source matrices */
  b_stride: "u32",
  /** floats between consecutive packed matrices */
  packed_stride: "u32",
});

/** wasm `sum_partials`: dst [rows, cols] (row stride ld) = in-order sum of `chunks` partial blocks. */
export const SUM_PARTIALS_KERNEL = paramBlock("SumPartialsParams", "Parameters of the wasm sum_partials kernel.", [
  "c",
], {
  chunks: "u32",
  rows: "u32",
  cols: "u32",
  partials: "ptr",
  dst: "ptr",
  ld: "u32",
});

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
): Numbers<typeof POOL_GEOMETRY.fields> {
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

/** Every declared block, in generation order (nested blocks before the blocks that hold them). */
export const PARAM_BLOCKS = [
  CONV_GEOMETRY,
  CONV_KERNEL,
  GEMM_SPLIT,
  CONV_SHADER,
  MATMUL_SHADER,
  MATMUL_KERNEL,
  PACK_B_KERNEL,
  SUM_PARTIALS_KERNEL,
  POOL_GEOMETRY,
  POOL_KERNEL,
  POOL_SHADER,
] as const;
