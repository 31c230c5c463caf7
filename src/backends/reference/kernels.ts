/**
 * The reference backend's complete kernel table.
 * @module
 */
import type { Kernel, KernelTable } from "../../core/kernels.ts";
import { binaryFunctions, mapBinary, mapUnary, unaryFunctions, whereKernel } from "./elementwise.ts";
import { indexingKernels } from "./indexing.ts";
import { conv2dGradInputKernel, conv2dGradWeightKernel, conv2dKernel, matmulKernel } from "./linalg.ts";
import {
  channelShuffleKernel,
  concatKernel,
  copyKernel,
  padKernel,
  sliceKernel,
  transposeKernel,
  upsampleNearest2dKernel,
} from "./movement.ts";
import {
  batchNormGradKernel,
  batchNormKernel,
  batchNormPreluGradKernel,
  batchNormPreluKernel,
  channelAffinePreluKernel,
  l2NormalizeKernel,
  layerNormGradKernel,
  layerNormKernel,
  preluGradKernel,
  preluKernel,
} from "./norm.ts";
import {
  avgPool2dGradKernel,
  avgPool2dKernel,
  globalAvgPoolKernel,
  maxPool2dGradKernel,
  maxPool2dKernel,
  upsampleNearest2dGradKernel,
} from "./pool.ts";
import { broadcastToKernel, reduceMaxKernel, reduceSumKernel } from "./reduce.ts";
import { upsampleBilinear2dGradKernel, upsampleBilinear2dKernel } from "./resize.ts";
import { softmaxCrossEntropyGradKernel, softmaxCrossEntropyKernel, softmaxRows } from "./softmax.ts";
import type { RefStorage } from "./storage.ts";
import { adamwUpdateKernel, dropoutKernel, fillKernel, sgdUpdateKernel } from "./training.ts";

type Table = KernelTable<RefStorage>;
type UnaryName = keyof typeof unaryFunctions;
type BinaryName = keyof typeof binaryFunctions;

function unaryKernels(): Pick<Table, UnaryName> {
  const table: Record<string, Kernel<unknown, RefStorage>> = {};
  for (const name of Object.keys(unaryFunctions) as UnaryName[]) {
    const make = unaryFunctions[name] as (attrs: unknown) => (x: number) => number;
    table[name] = (inputs, outputs, attrs) => mapUnary(inputs, outputs, make(attrs));
  }
  return table as Pick<Table, UnaryName>;
}

function binaryKernels(): Pick<Table, BinaryName> {
  const table = {} as Record<BinaryName, Table[BinaryName]>;
  for (const name of Object.keys(binaryFunctions) as BinaryName[]) {
    table[name] = (inputs, outputs) => mapBinary(inputs, outputs, binaryFunctions[name]);
  }
  return table;
}

/** Every kernel of the reference backend. */
export const referenceKernels: Table = {
  ...unaryKernels(),
  ...binaryKernels(),
  ...indexingKernels,
  where: whereKernel,
  reduce_sum: (i, o, a) => reduceSumKernel(i, o, a.axes),
  reduce_max: (i, o, a) => reduceMaxKernel(i, o, a.axes),
  broadcast_to: broadcastToKernel,
  matmul: matmulKernel,
  batched_matmul: matmulKernel,
  conv2d: conv2dKernel,
  conv2d_grad_input: conv2dGradInputKernel,
  conv2d_grad_weight: conv2dGradWeightKernel,
  batch_norm: batchNormKernel,
  batch_norm_grad: batchNormGradKernel,
  batch_norm_prelu: batchNormPreluKernel,
  batch_norm_prelu_grad: batchNormPreluGradKernel,
  prelu: preluKernel,
  prelu_grad: preluGradKernel,
  channel_affine_prelu: channelAffinePreluKernel,
  max_pool2d: maxPool2dKernel,
  max_pool2d_grad: maxPool2dGradKernel,
  avg_pool2d: avgPool2dKernel,
  avg_pool2d_grad: avgPool2dGradKernel,
  global_avg_pool: globalAvgPoolKernel,
  upsample_nearest2d: upsampleNearest2dKernel,
  upsample_nearest2d_grad: upsampleNearest2dGradKernel,
  upsample_bilinear2d: upsampleBilinear2dKernel,
  upsample_bilinear2d_grad: upsampleBilinear2dGradKernel,
  softmax: (i, o) => softmaxRows(i, o, false),
  log_softmax: (i, o) => softmaxRows(i, o, true),
  softmax_cross_entropy: softmaxCrossEntropyKernel,
  softmax_cross_entropy_grad: softmaxCrossEntropyGradKernel,
  l2_normalize: l2NormalizeKernel,
  layer_norm: layerNormKernel,
  layer_norm_grad: layerNormGradKernel,
  concat: concatKernel,
  slice: sliceKernel,
  pad: padKernel,
  reshape: copyKernel,
  copy: copyKernel,
  transpose: transposeKernel,
  channel_shuffle: channelShuffleKernel,
  dropout: dropoutKernel,
  fill: fillKernel,
  sgd_update: sgdUpdateKernel,
  adamw_update: adamwUpdateKernel,
};
