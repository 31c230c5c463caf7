/**
 * The WebGPU backend end to end: a small conv-net training step (conv, batch norm, PReLU, pooling, linear,
 * label-smoothed cross-entropy, backward, SGD) matches the reference backend, is bit-identical run to run, and
 * costs exactly one submit per step (the loss read-back).
 */
import assert from "node:assert";
import type { Backend } from "../../../src/core/backend.ts";
import { ReferenceBackend } from "../../../src/backends/reference/backend.ts";
import { Rng } from "../../../src/core/rng.ts";
import { scope } from "../../../src/core/scope.ts";
import { backward } from "../../../src/ops/backward.ts";
import type { Tensor } from "../../../src/core/tensor.ts";
import {
  batchNorm,
  conv2d,
  globalAvgPool,
  linear,
  maxPool2d,
  ones,
  prelu,
  reduceMean,
  sgdUpdate,
  softmaxCrossEntropy,
  tensor,
  zeros,
} from "../../../src/ops/mod.ts";
import { relativeError } from "../../_util/op_case.ts";
import { gpuTest } from "./_gpu.ts";

const STEPS = 3;

interface Run {
  losses: number[];
  weights: number[][];
  submitsPerStep: number[];
}

function random(backend: Backend, rng: Rng, shape: number[], std: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(backend, Float64Array.from({ length: n }, () => rng.normal(0, std)), shape);
}

/** Trains the tiny net for {@link STEPS} steps; `submits` reads the backend's submit counter when there is one. */
async function train(backend: Backend, submits: () => number): Promise<Run> {
  const rng = new Rng(11, "init");
  const params = [
    random(backend, rng, [3, 3, 3, 8], 0.4),
    ones(backend, [8]),
    zeros(backend, [8]),
    tensor(backend, new Float64Array(8).fill(0.25), [8]),
    random(backend, rng, [5, 8], 0.4),
  ];
  for (const p of params) p.requiresGrad = true;
  const velocity = params.map((p) => zeros(backend, p.shape));
  const [runMean, runVar] = [zeros(backend, [8]), ones(backend, [8])];
  const x = random(backend, rng, [4, 9, 9, 3], 1);
  const labels = tensor(backend, [0, 3, 1, 4], [4], "i32");
  const run: Run = { losses: [], weights: [], submitsPerStep: [] };
  for (let step = 0; step < STEPS; step++) {
    const before = submits();
    const loss = scope(() => {
      const [w, gamma, beta, alpha, fc] = params;
      let y = conv2d(x, w, { padding: 1, stride: 2 });
      y = prelu(batchNorm(y, gamma, beta, runMean, runVar, { training: true }), alpha);
      const logits = linear(globalAvgPool(maxPool2d(y, { kernel: 2 })), fc);
      const l = reduceMean(softmaxCrossEntropy(logits, labels, 0.1));
      backward(l);
      params.forEach((p, i) => {
        sgdUpdate(p, p.grad!, velocity[i], { lr: 0.5, momentum: 0.9, nesterov: false, weightDecay: 1e-3 });
        p.grad!.dispose();
        p.grad = null;
      });
      return l;
    });
    run.losses.push(await loss.item());
    run.submitsPerStep.push(submits() - before);
    loss.dispose();
  }
  for (const t of [...params, runMean, runVar]) run.weights.push(await t.toArray());
  for (const t of [...params, ...velocity, runMean, runVar, x, labels]) t.dispose();
  return run;
}

gpuTest("a conv-net training step matches the reference, repeats bit for bit, and submits once", async (gpu) => {
  const want = await train(new ReferenceBackend(), () => 0);
  const first = await train(gpu, () => gpu.stats().submits);
  const second = await train(gpu, () => gpu.stats().submits);
  assert.ok(want.losses[STEPS - 1] < want.losses[0], `loss should fall: ${want.losses}`);
  assert.ok(relativeError(first.losses, want.losses) < 1e-4, `losses ${first.losses} vs ${want.losses}`);
  first.weights.forEach((w, i) => {
    const err = relativeError(w, want.weights[i]);
    assert.ok(err < 1e-3, `parameter ${i} differs from the reference by ${err}`);
  });
  assert.deepStrictEqual(second.losses, first.losses);
  assert.deepStrictEqual(second.weights, first.weights);
  assert.deepStrictEqual(first.submitsPerStep, new Array(STEPS).fill(1));
});
