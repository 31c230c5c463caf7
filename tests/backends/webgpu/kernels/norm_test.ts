/**
 * WebGPU batch norm (training with in-place running-stat update, and inference), its gradient, PReLU's alpha
 * gradient and L2 normalisation with channels/rows longer than one workgroup: parity with the reference backend,
 * every output and updated input, bit-identical run to run.
 */
import { batchNormGradSpec, batchNormSpec, l2Normalize, preluGrad, runOp } from "../../../../src/ops/mod.ts";
import { checkParity, gpuTest } from "../_gpu.ts";

const x = { shape: [3, 11, 13, 5] };
const channel = { shape: [5] };
const variance = { shape: [5], range: [0.5, 2] as [number, number] };

gpuTest("batch_norm training updates running stats in place; inference uses them", async (gpu) => {
  for (const training of [true, false]) {
    await checkParity(
      gpu,
      `batch_norm ${training}`,
      [x, channel, channel, channel, variance],
      (ts) => runOp(batchNormSpec, ts, { training, momentum: 0.1, eps: 1e-5 }),
    );
  }
});

gpuTest("batch_norm_grad in training and inference mode", async (gpu) => {
  for (const training of [true, false]) {
    await checkParity(
      gpu,
      `batch_norm_grad ${training}`,
      [x, x, channel, channel, variance],
      (ts) => runOp(batchNormGradSpec, ts, { training }),
    );
  }
});

gpuTest("prelu_grad sums dalpha over 429 rows; l2_normalize over 700-wide rows", async (gpu) => {
  await checkParity(gpu, "prelu_grad", [x, x, channel], ([dy, t, a]) => preluGrad(dy, t, a));
  await checkParity(gpu, "l2_normalize", [{ shape: [3, 700] }], ([t]) => [l2Normalize(t)]);
});
