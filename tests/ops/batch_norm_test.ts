import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { batchNorm, ones, tensor, zeros } from "../../src/ops/mod.ts";
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

Deno.test("batch_norm: training records the in-place writes of the running statistics, inference none", () => {
  const backend = new ReferenceBackend();
  const x = tensor(backend, [1, 2, 3, 5], [2, 2]);
  const [gamma, beta, mean, variance] = [
    ones(backend, [2]),
    zeros(backend, [2]),
    zeros(backend, [2]),
    ones(backend, [2]),
  ];
  batchNorm(x, gamma, beta, mean, variance, { training: false });
  assert.deepStrictEqual([x, gamma, beta, mean, variance].map((t) => t.version), [0, 0, 0, 0, 0]);
  batchNorm(x, gamma, beta, mean, variance, { training: true });
  assert.deepStrictEqual([x, gamma, beta, mean, variance].map((t) => t.version), [0, 0, 0, 1, 1]);
});
