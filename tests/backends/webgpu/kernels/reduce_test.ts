/**
 * WebGPU reductions longer than one 256-invocation workgroup, over leading, middle, trailing and all axes: parity
 * with the reference backend and bit-identical results run to run (fixed-order tree reductions).
 */
import { reduceMax, reduceSum } from "../../../../src/ops/mod.ts";
import { checkParity, gpuTest } from "../_gpu.ts";

gpuTest("reduce_sum and reduce_max over 1000-element reductions on every axis pattern", async (gpu) => {
  const x = { shape: [10, 37, 30] };
  for (const axes of [[0], [1], [2], [0, 2], [0, 1, 2]]) {
    await checkParity(gpu, `reduce ${axes}`, [x], ([t]) => [reduceSum(t, axes), reduceMax(t, axes)]);
  }
});
