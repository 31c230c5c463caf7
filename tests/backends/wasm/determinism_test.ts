import assert from "node:assert";
import type { Backend } from "../../../src/core/backend.ts";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { WasmBackend } from "../../../src/backends/wasm/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { scope } from "../../../src/core/scope.ts";
import { backward } from "../../../src/ops/backward.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import {
  batchNorm,
  conv2d,
  dropout,
  globalAvgPool,
  linear,
  maxPool2d,
  mul,
  ones,
  prelu,
  reduceMean,
  relu,
  reshape,
  sgdUpdate,
  softmaxCrossEntropy,
  tensor,
  zeros,
} from "../../../src/ops/mod.ts";

/** Shapes of the parameters of the small conv net (NHWC / HWIO). */
const PARAMS: Record<string, number[]> = {
  conv1: [3, 3, 8, 16],
  depthwise: [3, 3, 1, 16],
  pointwise: [1, 1, 16, 32],
  fc: [10, 32],
};

/**
 * One SGD step of conv → BN → PReLU → depthwise (stride 2) → max-pool → 1×1 conv → ReLU → GAP → dropout → linear →
 * softmax-CE; returns the loss, the gradients and the updated parameters as host arrays, in a fixed order.
 * Sizes are chosen so that conv, depthwise and 1×1 conv and their gradients run multi-threaded at 2 threads.
 */
async function trainingStep(backend: Backend): Promise<Float32Array[]> {
  const rng = new Rng(11, "determinism-test");
  const host = (n: number, s: number) => Float32Array.from({ length: n }, () => rng.uniform(-s, s));
  const params: Record<string, Tensor> = {};
  for (const [name, shape] of Object.entries(PARAMS)) {
    params[name] = tensor(backend, host(shape.reduce((a, b) => a * b, 1), 0.3), shape);
    params[name].requiresGrad = true;
  }
  const x = tensor(backend, host(4 * 32 * 32 * 8, 1), [4, 32, 32, 8]);
  const labels = tensor(backend, Int32Array.from([3, 7, 0, 9]), [4], "i32");
  const [gamma, beta, mean, variance, alpha] = [ones, zeros, zeros, ones, ones].map((f) => f(backend, [16]));
  const loss = scope(() => {
    let h = conv2d(x, params.conv1, { padding: 1 });
    h = prelu(batchNorm(h, gamma, beta, mean, variance, { training: true }), alpha);
    h = conv2d(h, params.depthwise, { stride: 2, padding: 1, groups: 16 });
    h = relu(conv2d(maxPool2d(h, { kernel: 2 }), params.pointwise));
    const logits = linear(dropout(globalAvgPool(h), 0.1, new Rng(5, "dropout")), params.fc);
    const l = reduceMean(softmaxCrossEntropy(logits, labels));
    backward(l);
    return l;
  });
  const out: Float32Array[] = [Float32Array.from(await loss.read())];
  for (const p of Object.values(params)) {
    out.push(Float32Array.from(await p.grad!.read()));
    sgdUpdate(p, p.grad!, zeros(backend, p.shape), { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
    out.push(Float32Array.from(await p.read()));
  }
  out.push(Float32Array.from(await mean.read()), Float32Array.from(await variance.read()));
  return out;
}

/** Runs `compute` on the wasm backend at 1 and at 2 threads, asserts the same bits, and returns the 1-thread results. */
async function sameAtOneAndTwoThreads(compute: (backend: Backend) => Promise<Float32Array[]>): Promise<Float32Array[]> {
  const one = await WasmBackend.create({ threads: 1 });
  const two = await WasmBackend.create({ threads: 2 });
  try {
    const a = await compute(one);
    const b = await compute(two);
    assert.strictEqual(a.length, b.length);
    a.forEach((values, k) => assert.deepStrictEqual(b[k], values, `result ${k} differs between 1 and 2 threads`));
    return a;
  } finally {
    one.destroy();
    two.destroy();
  }
}

Deno.test("wasm determinism: a conv-net training step is bit-identical at 1 and 2 threads", async () => {
  const a = await sameAtOneAndTwoThreads(trainingStep);
  // The same step on the reference backend agrees to float32 rounding, so the comparison above is of real values.
  const ref = await trainingStep(new ReferenceBackend());
  ref.forEach((values, k) => {
    let err = 0;
    for (let i = 0; i < values.length; i++) err = Math.max(err, Math.abs(values[i] - a[k][i]));
    assert.ok(err < 1e-4, `result ${k} differs from the reference by ${err}`);
  });
  assert.ok(a[0][0] > 0 && Number.isFinite(a[0][0]), `loss ${a[0][0]}`);
});

/**
 * Outputs and input/filter gradients of a 1×1 convolution (96 → 600 channels: column parts across the 512-column
 * panel), a 3×3 stride-2 convolution and a matmul at batch 1 on a 7×7 map, as host arrays: at 2 threads their GEMMs
 * have one row block each and are cut into column parts, and the filter gradients' single chunk into parts of the
 * filter rows.
 */
function columnPartProducts(backend: Backend): Promise<Float32Array[]> {
  const rng = new Rng(12, "determinism-test/column-parts");
  const host = (shape: number[]) =>
    tensor(backend, Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1)), shape);
  const [x, pointwise, spatial, fc] = [[1, 7, 7, 96], [1, 1, 96, 600], [3, 3, 600, 70], [40, 1120]].map(host);
  for (const t of [x, pointwise, spatial, fc]) t.requiresGrad = true;
  const y = scope(() => {
    const h = conv2d(conv2d(x, pointwise), spatial, { stride: 2, padding: 1 });
    const out = linear(reshape(h, [1, 16 * 70]), fc);
    backward(reduceMean(mul(out, out)));
    return out;
  });
  return Promise.all(
    [y, x.grad!, pointwise.grad!, spatial.grad!, fc.grad!].map(async (t) => Float32Array.from(await t.read())),
  );
}

Deno.test("wasm determinism: GEMMs cut into column parts give the same bits at 1 and 2 threads", async () => {
  const a = await sameAtOneAndTwoThreads(columnPartProducts);
  assert.ok(a[0].some((v) => v !== 0) && a.every((values) => values.every(Number.isFinite)));
});
