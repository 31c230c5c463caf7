import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import type { Backend } from "../../src/core/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { backward } from "../../src/ops/backward.ts";
import { batchedMatmul, matmul, mul, reduceSum, reshape, slice, tensor } from "../../src/ops/mod.ts";
import { backendCases, backendFor, backendTest } from "../_util/backends.ts";
import { testOp } from "../_util/op_case.ts";

testOp("batched_matmul", [
  { name: "plain", inputs: [{ shape: [2, 3, 5] }, { shape: [2, 5, 4] }], run: ([a, b]) => batchedMatmul(a, b) },
  {
    name: "transpose A",
    inputs: [{ shape: [3, 5, 3] }, { shape: [3, 5, 4] }],
    run: ([a, b]) => batchedMatmul(a, b, true, false),
  },
  {
    name: "transpose B (q·kᵀ)",
    inputs: [{ shape: [2, 3, 5] }, { shape: [2, 4, 5] }],
    run: ([a, b]) => batchedMatmul(a, b, false, true),
  },
  {
    name: "transpose both",
    inputs: [{ shape: [2, 5, 3] }, { shape: [2, 4, 5] }],
    run: ([a, b]) => batchedMatmul(a, b, true, true),
  },
  {
    name: "odd sizes 3×7×9×11",
    inputs: [{ shape: [3, 7, 9] }, { shape: [3, 9, 11] }],
    run: ([a, b]) => batchedMatmul(a, b),
  },
]);

// Parity only: entries larger than one GEMM row task (64 rows) and one WebGPU tile (64×64), and a deep K that the
// WebGPU GEMM splits (split-K per batch entry, summed in split order).
testOp("batched_matmul", [{
  name: "entries of 70×40×66",
  inputs: [{ shape: [3, 70, 40] }, { shape: [3, 66, 40] }],
  run: ([a, b]) => batchedMatmul(a, b, false, true),
}, {
  name: "split K: [2, 5, 1100]·[2, 1100, 3]",
  inputs: [{ shape: [2, 5, 1100] }, { shape: [2, 1100, 3] }],
  run: ([a, b]) => batchedMatmul(a, b),
}], { gradient: false });

/** A product big enough for two threads (batch × rows gives several GEMM tasks) and its gradients, read back. */
function productAndGrads(backend: Backend): Promise<number[][]> {
  const rng = new Rng(15, "batched-matmul-threads");
  const values = (n: number) => Array.from({ length: n }, () => rng.uniform(-1, 1));
  const a = tensor(backend, values(6 * 130 * 48), [6, 130, 48]);
  const b = tensor(backend, values(6 * 130 * 48), [6, 130, 48]);
  a.requiresGrad = b.requiresGrad = true;
  const c = batchedMatmul(a, b, false, true);
  backward(reduceSum(mul(c, tensor(backend, values(c.size), c.shape))));
  return Promise.all([c, a.grad!, b.grad!].map((t) => t.toArray()));
}

const [singleThread, twoThreads] = ["wasm/1t", "wasm/2t"].map((label) => backendCases().find((c) => c.label === label));
if (singleThread && twoThreads) {
  backendTest(twoThreads, "batched_matmul: wasm gives the same bits on 1 and 2 threads", async (two) => {
    const one = await backendFor(singleThread);
    const [got, single] = await Promise.all([two, one].map(productAndGrads));
    assert.deepStrictEqual(got, single, "thread count changed the result");
  });
}

Deno.test("batched_matmul: each batch entry equals the 2-D matmul of that entry", async () => {
  const backend = new ReferenceBackend();
  const values = (n: number, s: number) => Array.from({ length: n }, (_, i) => Math.sin(s * i + 1));
  const a = tensor(backend, values(2 * 3 * 4, 0.7), [2, 3, 4]);
  const b = tensor(backend, values(2 * 5 * 4, 1.3), [2, 5, 4]);
  const c = await batchedMatmul(a, b, false, true).toArray();
  for (let g = 0; g < 2; g++) {
    const entry = (t: typeof a, rows: number) => reshape(slice(t, [g, 0, 0], [1, rows, 4]), [rows, 4]);
    const want = await matmul(entry(a, 3), entry(b, 5), false, true).toArray();
    assert.deepStrictEqual(c.slice(g * 15, (g + 1) * 15), want);
  }
});

Deno.test("batched_matmul: rejects mismatched batches and inner sizes, and rank-2 operands", () => {
  const backend = new ReferenceBackend();
  const zeros = (shape: number[]) => tensor(backend, new Float32Array(shape.reduce((x, y) => x * y, 1)), shape);
  assert.throws(
    () => batchedMatmul(zeros([2, 3, 4]), zeros([3, 4, 5])),
    /batched_matmul: argument "b" expected batch 2/,
  );
  assert.throws(() => batchedMatmul(zeros([2, 3, 4]), zeros([2, 5, 4])), /expected 4 along its K axis/);
  assert.throws(() => batchedMatmul(zeros([3, 4]), zeros([4, 5])), /argument "a" expected rank 3/);
});
