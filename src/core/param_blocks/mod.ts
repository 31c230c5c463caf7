/**
 * The parameter blocks of every kernel family, declared once by name: `deno task gen` (tools/gen_params.ts) writes
 * them as C structs (`wasm-simd/params.h`) and WGSL structs (`shaders/_params_*.wgsl`), and the wasm and WebGPU
 * backends fill them by field name. Blocks that hold pointers are C-only; a WGSL block that no other block nests is
 * bound as the uniform `P` of the shaders that include it.
 * @module
 */
import type { ParamBlock } from "../params.ts";
import { CONV_GEOMETRY, CONV_KERNEL, CONV_SHADER } from "./conv.ts";
import { UNARY_KERNEL, UNARY_SHADER } from "./elementwise.ts";
import { GEMM_SPLIT, MATMUL_KERNEL, MATMUL_SHADER, PACK_B_KERNEL, SUM_PARTIALS_KERNEL } from "./gemm.ts";
import { INDEXING_KERNEL, ROW_ELEMENTS_SHADER, ROWS_SHADER } from "./indexing.ts";
import {
  BATCH_NORM_GRAD_KERNEL,
  BATCH_NORM_KERNEL,
  BATCH_NORM_SHADER,
  CHANNEL_AFFINE_KERNEL,
  CHANNEL_SHADER,
  CHANNEL_SUMS_KERNEL,
  L2_NORMALIZE_KERNEL,
  L2_NORMALIZE_SHADER,
  LAYER_NORM_GRAD_KERNEL,
  LAYER_NORM_KERNEL,
  LAYER_NORM_SHADER,
  PRELU_GRAD_KERNEL,
} from "./norm.ts";
import { GLOBAL_POOL_SHADER, POOL_GEOMETRY, POOL_KERNEL, POOL_SHADER } from "./pool.ts";
import { RESIZE_GEOMETRY, RESIZE_KERNEL, RESIZE_SHADER } from "./resize.ts";
import { SOFTMAX_KERNEL, SOFTMAX_SHADER, SOFTMAX_XENT_KERNEL, SOFTMAX_XENT_SHADER } from "./softmax.ts";
import { BROADCAST_SHADER, COPY_SHADER, PAD_SHADER, REDUCE_SHADER, STRIDED_KERNEL } from "./strided.ts";
import {
  ADAMW_KERNEL,
  ADAMW_SHADER,
  DROPOUT_KERNEL,
  DROPOUT_SHADER,
  FILL_KERNEL,
  FILL_SHADER,
  SGD_KERNEL,
  SGD_SHADER,
} from "./training.ts";

export * from "./conv.ts";
export * from "./elementwise.ts";
export * from "./gemm.ts";
export * from "./indexing.ts";
export * from "./norm.ts";
export * from "./pool.ts";
export * from "./resize.ts";
export * from "./softmax.ts";
export * from "./strided.ts";
export * from "./training.ts";

/** Every declared block, in generation order (nested blocks before the blocks that hold them). */
export const PARAM_BLOCKS: readonly ParamBlock[] = [
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
  GLOBAL_POOL_SHADER,
  RESIZE_GEOMETRY,
  RESIZE_KERNEL,
  RESIZE_SHADER,
  UNARY_KERNEL,
  UNARY_SHADER,
  STRIDED_KERNEL,
  BROADCAST_SHADER,
  COPY_SHADER,
  PAD_SHADER,
  REDUCE_SHADER,
  INDEXING_KERNEL,
  ROWS_SHADER,
  ROW_ELEMENTS_SHADER,
  CHANNEL_SUMS_KERNEL,
  BATCH_NORM_KERNEL,
  BATCH_NORM_GRAD_KERNEL,
  CHANNEL_AFFINE_KERNEL,
  PRELU_GRAD_KERNEL,
  L2_NORMALIZE_KERNEL,
  LAYER_NORM_KERNEL,
  LAYER_NORM_GRAD_KERNEL,
  BATCH_NORM_SHADER,
  CHANNEL_SHADER,
  L2_NORMALIZE_SHADER,
  LAYER_NORM_SHADER,
  SOFTMAX_KERNEL,
  SOFTMAX_XENT_KERNEL,
  SOFTMAX_SHADER,
  SOFTMAX_XENT_SHADER,
  FILL_KERNEL,
  DROPOUT_KERNEL,
  SGD_KERNEL,
  ADAMW_KERNEL,
  FILL_SHADER,
  DROPOUT_SHADER,
  SGD_SHADER,
  ADAMW_SHADER,
];
