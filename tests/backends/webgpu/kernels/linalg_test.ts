/**
 * WebGPU GEMM and convolution kernels at sizes the shared op tests do not reach: several 64×64 output tiles,
 * partial edge tiles, several 16-deep K slices, groups, and the depthwise kernels, each against the reference
 * backend and bit-identical run to run.
 */
import assert from "node:assert";
import { splitK } from "../../../../src/backends/webgpu/kernels/linalg.ts";
import { conv2d, conv2dAttrs, conv2dGradInput, conv2dGradWeight, matmul } from "../../../../src/ops/mod.ts";
import { checkParity, gpuTest } from "../_gpu.ts";

gpuTest("matmul over partial 64×64 tiles and 5 K slices, every transpose combination", async (gpu) => {
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
    const a = ta ? [77, 131] : [131, 77];
    const b = tb ? [70, 77] : [77, 70];
    await checkParity(gpu, `matmul ${ta} ${tb}`, [{ shape: a }, { shape: b }], ([x, y]) => [matmul(x, y, ta, tb)]);
  }
});

const groupsCase = { stride: 2, padding: 1, dilation: 1, groups: 2 };

gpuTest("conv2d forward and both gradients, 3×3 stride 2, 2 groups, 70 outputs per group", async (gpu) => {
  const attrs = conv2dAttrs(groupsCase);
  const x = { shape: [2, 11, 9, 12] };
  const w = { shape: [3, 3, 6, 140] };
  const dy = { shape: [2, 6, 5, 140] };
  await checkParity(gpu, "conv2d groups", [x, w], ([a, b]) => [conv2d(a, b, groupsCase)]);
  await checkParity(gpu, "conv2d_grad_input groups", [dy, w], ([g, b]) => [conv2dGradInput(g, b, x.shape, attrs)]);
  await checkParity(gpu, "conv2d_grad_weight groups", [x, dy], ([a, g]) => [conv2dGradWeight(a, g, w.shape, attrs)]);
});

gpuTest("depthwise conv2d forward (scalar and vec4 entries) and both gradients, 5×5 dilation 2", async (gpu) => {
  for (const c of [7, 8]) {
    const options = { stride: 1, padding: 3, dilation: 2, groups: c };
    const attrs = conv2dAttrs(options);
    const x = { shape: [2, 9, 10, c] };
    const w = { shape: [5, 5, 1, c] };
    const dy = { shape: [2, 7, 8, c] };
    await checkParity(gpu, `depthwise ${c}`, [x, w], ([a, b]) => [conv2d(a, b, options)]);
    await checkParity(gpu, `depthwise grad_input ${c}`, [dy, w], ([g, b]) => [conv2dGradInput(g, b, x.shape, attrs)]);
    await checkParity(gpu, `depthwise grad_weight ${c}`, [x, dy], ([a, g]) => [conv2dGradWeight(a, g, w.shape, attrs)]);
  }
});

Deno.test("webgpu split-K: only small grids with long K split, into chunks that cover K", () => {
  assert.deepStrictEqual(splitK(1024, 1024, 1024, 1), { splits: 1, chunk: 1024 });
  assert.deepStrictEqual(splitK(10, 10, 511, 1), { splits: 1, chunk: 511 });
  for (const [m, n, k, g] of [[576, 64, 25088, 1], [36, 8, 4096, 1], [9, 140, 1999, 2]]) {
    const { splits, chunk } = splitK(m, n, k, g);
    assert.ok(splits > 1 && chunk % 16 === 0, `${m}×${n}×${k}: ${splits} splits of ${chunk}`);
    assert.ok((splits - 1) * chunk < k && splits * chunk >= k, `${splits} chunks of ${chunk} must cover K = ${k}`);
  }
});

gpuTest("split-K GEMMs: matmul with K = 5000 and a grouped 3×3 weight gradient over 4096 pixels", async (gpu) => {
  await checkParity(gpu, "matmul split", [{ shape: [5000, 10] }, { shape: [5000, 13] }], ([a, b]) => [
    matmul(a, b, true, false),
  ]);
  const options = { stride: 1, padding: 1, dilation: 1, groups: 2 };
  const x = { shape: [4, 32, 32, 6] };
  const dy = { shape: [4, 32, 32, 10] };
  await checkParity(gpu, "grad_weight split", [x, dy], ([a, g]) => [
    conv2dGradWeight(a, g, [3, 3, 3, 10], conv2dAttrs(options)),
  ]);
});
