/**
 * WebGPU dropout masks are bit-identical to the reference backend's Threefry masks (also across the 2^32 counter
 * carry), and the in-place SGD update (momentum, weight decay, Nesterov) matches the reference.
 */
import { dropoutSpec, runOp, sgdUpdate } from "../../../../src/ops/mod.ts";
import { checkParity, gpuTest } from "../_gpu.ts";

gpuTest("dropout masks equal the reference bit for bit, including offsets across 2^32", async (gpu) => {
  for (const [p, offset] of [[0.3, 0], [0.1, 2 ** 32 - 700], [0.5, 3 * 2 ** 32 + 12345]]) {
    await checkParity(
      gpu,
      `dropout ${p} ${offset}`,
      [{ shape: [2000] }],
      (ts) => runOp(dropoutSpec, ts, { p, key0: 0xdeadbeef, key1: 12345, offset }),
      0,
    );
  }
});

gpuTest("sgd_update updates param and velocity in place", async (gpu) => {
  for (const nesterov of [false, true]) {
    await checkParity(
      gpu,
      `sgd ${nesterov}`,
      [{ shape: [1000] }, { shape: [1000] }, { shape: [1000] }],
      ([p, g, v]) => {
        sgdUpdate(p, g, v, { lr: 0.1, momentum: 0.9, nesterov, weightDecay: 5e-4 });
        return [];
      },
    );
  }
});
