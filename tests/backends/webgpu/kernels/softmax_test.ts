/**
 * WebGPU softmax family on rows longer than one workgroup, with large logits (max subtraction) and label
 * smoothing: parity with the reference backend, bit-identical run to run.
 */
import { logSoftmax, runOp, softmax, softmaxCrossEntropySpec } from "../../../../src/ops/mod.ts";
import { checkParity, gpuTest } from "../_gpu.ts";

const logits = { shape: [4, 1000], range: [-30, 30] as [number, number] };

gpuTest("softmax, log_softmax and softmax_cross_entropy over 1000 classes", async (gpu) => {
  await checkParity(gpu, "softmax rows", [logits], ([t]) => [softmax(t), logSoftmax(t)]);
  await checkParity(
    gpu,
    "softmax_cross_entropy",
    [logits, { shape: [4], dtype: "i32", range: [0, 1000] }],
    (ts) => runOp(softmaxCrossEntropySpec, ts, { smoothing: 0.1 }),
  );
});
