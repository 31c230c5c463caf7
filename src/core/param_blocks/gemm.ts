/**
 * Parameter blocks of the GEMM family: the wasm matmul, pack_b and sum_partials kernels, the WebGPU matmul shader
 * and the split-K words every tiled WebGPU GEMM shader reads.
 * @module
 */
import { paramBlock } from "../params.ts";

/** The split-K words of the tiled WebGPU GEMM (`_gemm.wgsl`). */
export const GEMM_SPLIT = paramBlock("GemmSplit", "Split-K of the tiled GEMM: K chunks per group.", ["wgsl"], {
  groups: "u32",
  splits: "u32",
  chunk: "u32",
});

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
