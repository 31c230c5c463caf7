/**
 * Op micro-benchmarks on every registered backend: GEMM, 3×3 convolution (forward and both gradients) and a
 * batch-norm + PReLU block, each awaited with `backend.sync()` so GPU work is inside the timing.
 * Run: `deno bench -A benchmarks/ops_bench.ts`.
 */
import type { Backend } from "../src/core/backend.ts";
import { backendNames, createBackend } from "../src/backends/registry.ts";
import { Rng } from "../src/core/rng.ts";
import { scope } from "../src/core/scope.ts";
import type { Tensor } from "../src/core/tensor.ts";
import {
  batchNorm,
  conv2d,
  conv2dAttrs,
  conv2dGradInput,
  conv2dGradWeight,
  matmul,
  ones,
  prelu,
  tensor,
  zeros,
} from "../src/ops/mod.ts";

const rng = new Rng(1, "bench");

function random(backend: Backend, shape: number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(backend, Float32Array.from({ length: size }, () => rng.uniform(-1, 1)), shape);
}

for (const name of backendNames()) {
  const backend = await createBackend(name);
  const group = `${name}`;
  const a = random(backend, [256, 256]);
  const b = random(backend, [256, 256]);
  Deno.bench({ name: `${name}: matmul 256 (0.034 GFLOP)`, group: `${group} matmul`, baseline: true }, async () => {
    scope(() => matmul(a, b));
    await backend.sync();
  });
  const x = random(backend, [2, 28, 28, 32]);
  const w = random(backend, [3, 3, 32, 32]);
  const dy = random(backend, [2, 28, 28, 32]);
  const attrs = conv2dAttrs({ padding: 1 });
  Deno.bench({ name: `${name}: conv2d 3x3 32→32 28x28 b2 (0.029 GFLOP)`, group: `${group} conv` }, async () => {
    scope(() => conv2d(x, w, { padding: 1 }));
    await backend.sync();
  });
  Deno.bench({ name: `${name}: conv2d_grad_input same shape`, group: `${group} conv` }, async () => {
    scope(() => conv2dGradInput(dy, w, x.shape, attrs));
    await backend.sync();
  });
  Deno.bench({ name: `${name}: conv2d_grad_weight same shape`, group: `${group} conv` }, async () => {
    scope(() => conv2dGradWeight(x, dy, w.shape, attrs));
    await backend.sync();
  });
  const gamma = ones(backend, [32]);
  const beta = zeros(backend, [32]);
  const mean = zeros(backend, [32]);
  const variance = ones(backend, [32]);
  const alpha = random(backend, [32]);
  Deno.bench({ name: `${name}: batch_norm + prelu 28x28x32 b2`, group: `${group} norm` }, async () => {
    scope(() => prelu(batchNorm(x, gamma, beta, mean, variance, { training: true }), alpha));
    await backend.sync();
  });
}
