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

/**
 * The WebGPU matmul and batched_matmul shaders: C[g] [m, n] = A[g] · B[g] with element strides of op(A) and op(B)
 * and the elements between consecutive batch entries of A and B (C is contiguous).
 */
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
  a_batch: "u32",
  b_batch: "u32",
  split: GEMM_SPLIT,
});

/**
 * wasm `matmul` and `batched_matmul` (wasm-simd/gemm.c): C[g] [m, n] = A[g] [m, k] · B[g] [k, n] per batch entry g
 * (the task count sets how many), strided views, each B packed (`packed_stride` floats apart); C is contiguous.
 */
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
  /** elements between consecutive batch entries of A */
  a_bs: "u32",
  /** elements between consecutive batch entries of B */
  b_bs: "u32",
  /** floats between consecutive packed Bs */
  packed_stride: "u32",
  /** column parts per row block (see `gemm_task` in gemm.h; 0 means 1) */
  col_parts: "u32",
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
