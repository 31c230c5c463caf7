import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import type { Backend } from "../../src/core/backend.ts";
import { hashString, Rng } from "../../src/core/rng.ts";
import { scope } from "../../src/core/scope.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { backward } from "../../src/ops/backward.ts";
import { batchNorm, batchNormPrelu, mul, ones, prelu, reduceSum, tensor, zeros } from "../../src/ops/mod.ts";
import { backendCases, backendTest } from "../_util/backends.ts";
import { testOp } from "../_util/op_case.ts";

const SLOPES: [number, number] = [0, 0.5];
const channels = (c: number) => [
  { shape: [c], range: [0.5, 1.5] as [number, number] },
  { shape: [c] },
  { shape: [c], grad: false },
  { shape: [c], range: [0.5, 2] as [number, number], grad: false },
  { shape: [c], range: SLOPES },
];

testOp("batch_norm_prelu", [
  {
    name: "training NHWC, C = 3",
    inputs: [{ shape: [2, 3, 2, 3] }, ...channels(3)],
    run: ([x, g, b, m, v, a]) => batchNormPrelu(x, g, b, m, v, a, { training: true }),
  },
  {
    name: "training [N, C], C = 5 (vector and scalar tails)",
    inputs: [{ shape: [6, 5] }, ...channels(5)],
    run: ([x, g, b, m, v, a]) => batchNormPrelu(x, g, b, m, v, a, { training: true, eps: 1e-3 }),
  },
  {
    name: "inference, C = 3",
    inputs: [{ shape: [2, 2, 2, 3] }, ...channels(3)],
    run: ([x, g, b, m, v, a]) => batchNormPrelu(x, g, b, m, v, a, { training: false }),
  },
]);

/** Outputs, running statistics and input gradients of BN → PReLU on `backend`, fused or as the two ops. */
async function runPair(backend: Backend, shape: number[], fused: boolean, training: boolean): Promise<Float32Array[]> {
  const c = shape.at(-1)!;
  const rng = new Rng(hashString(`batch_norm_prelu/pair/${shape}`), "test-inputs");
  const host = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
  const n = shape.reduce((a, b) => a * b, 1);
  const x = tensor(backend, host(n, -1, 1), shape);
  const gamma = tensor(backend, host(c, 0.5, 1.5), [c]);
  const beta = tensor(backend, host(c, -0.5, 0.5), [c]);
  const alpha = tensor(backend, host(c, 0, 0.5), [c]);
  const weights = tensor(backend, host(n, -1, 1), shape);
  const [runningMean, runningVar] = [zeros(backend, [c]), ones(backend, [c])];
  for (const t of [x, gamma, beta, alpha]) t.requiresGrad = true;
  try {
    const y = scope(() => {
      const options = { training };
      const out = fused
        ? batchNormPrelu(x, gamma, beta, runningMean, runningVar, alpha, options)
        : prelu(batchNorm(x, gamma, beta, runningMean, runningVar, options), alpha);
      backward(reduceSum(mul(out, weights)));
      return out;
    });
    const results = [y, ...[x, gamma, beta, alpha].map((t) => t.grad!), runningMean, runningVar];
    const values = [];
    for (const t of results) values.push(Float32Array.from(await t.read()));
    y.dispose();
    return values;
  } finally {
    for (const t of [x, gamma, beta, alpha, weights, runningMean, runningVar]) {
      t.grad?.dispose();
      t.dispose();
    }
  }
}

const PAIR_SHAPES = [[2, 9, 4, 23], [4, 16, 16, 64]];
const PAIR_LABELS = ["y", "dx", "dgamma", "dbeta", "dalpha", "running mean", "running var"];

// The fused op is a pure optimisation: committed weight hashes were recorded through batch_norm then prelu, so on the
// compute backends its every bit must be theirs (the larger shape runs multi-threaded on wasm/2t).
for (const bc of backendCases()) {
  for (const shape of PAIR_SHAPES) {
    for (const training of [true, false]) {
      backendTest(
        bc,
        `batch_norm_prelu: ${bc.label} gives the bits of batch_norm then prelu, forward and backward (${shape}, ${
          training ? "training" : "inference"
        })`,
        async (backend) => {
          const fused = await runPair(backend, shape, true, training);
          const pair = await runPair(backend, shape, false, training);
          pair.forEach((values, k) => assert.deepStrictEqual(fused[k], values, `${PAIR_LABELS[k]} differs`));
        },
      );
    }
  }
}

Deno.test("batch_norm_prelu: the reference backend matches batch_norm then prelu (outputs bit-exact)", async () => {
  const backend = new ReferenceBackend();
  const fused = await runPair(backend, [2, 9, 4, 23], true, true);
  const pair = await runPair(backend, [2, 9, 4, 23], false, true);
  assert.deepStrictEqual(fused[0], pair[0], "y differs");
  assert.deepStrictEqual(fused.slice(5), pair.slice(5), "running statistics differ");
  // The gradients recompute z from the stored float32 statistics (the forward pass used them unrounded).
  pair.slice(1, 5).forEach((values, k) => {
    const scale = Math.max(1, ...values.map(Math.abs));
    const err = Math.max(...values.map((v, i) => Math.abs(v - fused[k + 1][i]))) / scale;
    assert.ok(err < 1e-6, `${PAIR_LABELS[k + 1]} off by ${err}`);
  });
});

const ref = new ReferenceBackend();
/** batch_norm_prelu in training mode on all-ones inputs of the given shapes (x, gamma, alpha; the rest [C]). */
const onesCall = (x: number[], gamma: number[], alpha: number[]) => () => {
  const c = [x.at(-1)!];
  const [b, m, v] = [ones(ref, c), ones(ref, c), ones(ref, c)];
  return batchNormPrelu(ones(ref, x), ones(ref, gamma), b, m, v, ones(ref, alpha), { training: true });
};
const bad: [string, () => Tensor, RegExp][] = [
  ["alpha shape", onesCall([2, 4], [4], [3]), /batch_norm_prelu: argument "alpha" expected shape \[4\], got \[3\]/],
  ["gamma shape", onesCall([2, 4], [5], [4]), /batch_norm_prelu: argument "gamma" expected shape \[4\], got \[5\]/],
  [
    "one value per channel in training",
    onesCall([1, 4], [4], [4]),
    /batch_norm_prelu: argument "x" needs more than 1 value per channel in training/,
  ],
];
for (const [name, run, pattern] of bad) {
  Deno.test(`batch_norm_prelu: bad input is named (${name})`, () => assert.throws(run, pattern));
}
