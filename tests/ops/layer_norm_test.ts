import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import type { Backend } from "../../src/core/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { backward } from "../../src/ops/backward.ts";
import { layerNorm, layerNormSpec, mul, reduceSum, runOp, tensor } from "../../src/ops/mod.ts";
import { backendCases, backendFor, backendTest } from "../_util/backends.ts";
import { testOp } from "../_util/op_case.ts";

const affine = [{ shape: [0], range: [0.5, 1.5] as [number, number] }, { shape: [0] }];
/** x, gamma and beta for rows of width `d`. */
const inputs = (shape: number[], range: [number, number] = [-2, 3]) => {
  const d = shape[shape.length - 1];
  return [{ shape, range }, ...affine.map((a) => ({ ...a, shape: [d] }))];
};

testOp("layer_norm", [
  { name: "tokens [2, 3, 8]", inputs: inputs([2, 3, 8]), run: ([x, g, b]) => layerNorm(x, g, b) },
  { name: "odd width [5, 7], eps 1e-6", inputs: inputs([5, 7]), run: ([x, g, b]) => layerNorm(x, g, b, { eps: 1e-6 }) },
  {
    name: "rows wider than a workgroup [2, 300]",
    inputs: inputs([2, 300], [-1, 1]),
    run: ([x, g, b]) => layerNorm(x, g, b),
  },
]);

// The row mean and inverse std are outputs for the gradient, not differentiable: parity only.
testOp("layer_norm", [{
  name: "row statistics [5, 7]",
  inputs: inputs([5, 7]),
  run: ([x, g, b]) => runOp(layerNormSpec, [x, g, b], { eps: 1e-5 }),
}], { gradient: false });

Deno.test("layer_norm: rejects gamma of the wrong width and an empty input", () => {
  const backend = new ReferenceBackend();
  const x = tensor(backend, [1, 2, 3, 4, 5, 6], [2, 3]);
  const ok = tensor(backend, [1, 1, 1], [3]);
  assert.throws(
    () => layerNorm(x, tensor(backend, [1, 1], [2]), ok),
    /layer_norm: argument "gamma" expected shape \[3\]/,
  );
  assert.throws(() => layerNorm(tensor(backend, [], [0, 3]), ok, ok), /non-empty/);
});

/** Forward and backward of a layer norm big enough to run on two threads; every output and gradient as host arrays. */
function forwardBackward(backend: Backend): Promise<number[][]> {
  const rng = new Rng(15, "layer-norm-threads");
  const [rows, d] = [600, 130];
  const values = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => rng.uniform(lo, hi));
  const x = tensor(backend, values(rows * d, -2, 3), [rows, d]);
  const gamma = tensor(backend, values(d, 0.5, 1.5), [d]);
  const beta = tensor(backend, values(d, -1, 1), [d]);
  for (const t of [x, gamma, beta]) t.requiresGrad = true;
  const y = layerNorm(x, gamma, beta);
  backward(reduceSum(mul(y, tensor(backend, values(rows * d, -1, 1), [rows, d]))));
  return Promise.all([y, x.grad!, gamma.grad!, beta.grad!].map((t) => t.toArray()));
}

const [singleThread, twoThreads] = ["wasm/1t", "wasm/2t"].map((label) => backendCases().find((c) => c.label === label));
if (singleThread && twoThreads) {
  backendTest(
    twoThreads,
    "layer_norm: wasm gives the same bits on 1 and 2 threads, and the reference's forward",
    async (two) => {
      const one = await backendFor(singleThread);
      const [got, single, reference] = await Promise.all([two, one, new ReferenceBackend()].map(forwardBackward));
      assert.deepStrictEqual(got, single, "thread count changed the result");
      assert.deepStrictEqual(got[0], reference[0], "forward: same double-precision steps as the reference");
    },
  );
}
