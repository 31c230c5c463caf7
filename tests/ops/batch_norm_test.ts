import { batchNorm } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

const stats = [{ shape: [3], grad: false }, { shape: [3], range: [0.5, 2] as [number, number], grad: false }];

testOp("batch_norm", [
  {
    name: "training NHWC",
    inputs: [{ shape: [2, 3, 2, 3] }, { shape: [3], range: [0.5, 1.5] }, { shape: [3] }, ...stats],
    run: ([x, g, b, m, v]) => batchNorm(x, g, b, m, v, { training: true }),
  },
  {
    name: "training [N, C] (BatchNorm1d)",
    inputs: [{ shape: [5, 3] }, { shape: [3], range: [0.5, 1.5] }, { shape: [3] }, ...stats],
    run: ([x, g, b, m, v]) => batchNorm(x, g, b, m, v, { training: true, eps: 1e-3 }),
  },
  {
    name: "inference",
    inputs: [{ shape: [2, 2, 2, 3] }, { shape: [3], range: [0.5, 1.5] }, { shape: [3] }, ...stats],
    run: ([x, g, b, m, v]) => batchNorm(x, g, b, m, v, { training: false }),
  },
]);
