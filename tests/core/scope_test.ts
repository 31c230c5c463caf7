import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { Rng } from "../../src/core/rng.ts";
import { keep, scope, scopeAsync } from "../../src/core/scope.ts";
import { backward } from "../../src/ops/backward.ts";
import { liveTensorCount } from "../../src/core/tensor.ts";
import {
  add,
  batchNorm,
  conv2d,
  globalAvgPool,
  linear,
  ones,
  reduceMean,
  relu,
  sgdUpdate,
  softmaxCrossEntropy,
  tensor,
  zeros,
  zerosLike,
} from "../../src/ops/mod.ts";

const backend = new ReferenceBackend();

Deno.test("scope: frees intermediates, keeps returned and kept tensors", () => {
  const before = liveTensorCount();
  const kept = keep(zeros(backend, [2]));
  const returned = scope(() => {
    const a = ones(backend, [2]);
    const b = add(a, a);
    return { result: add(b, kept), also: [b] };
  });
  assert.strictEqual(liveTensorCount() - before, 3, "kept + result + b");
  assert.ok(!returned.result.disposed && !returned.also[0].disposed && !kept.disposed);
  for (const t of [kept, returned.result, returned.also[0]]) t.dispose();
  assert.strictEqual(liveTensorCount(), before);
});

Deno.test("scope: nested scopes hand returned tensors to the parent", () => {
  const before = liveTensorCount();
  scope(() => {
    const inner = scope(() => add(ones(backend, [3]), ones(backend, [3])));
    assert.ok(!inner.disposed);
    assert.strictEqual(liveTensorCount() - before, 1);
  });
  assert.strictEqual(liveTensorCount(), before);
});

Deno.test("scope: a thrown error still frees the scope's tensors", () => {
  const before = liveTensorCount();
  assert.throws(() =>
    scope(() => {
      ones(backend, [4]);
      throw new Error("boom");
    }), /boom/);
  assert.strictEqual(liveTensorCount(), before);
});

Deno.test("scope: 1,000 training-like iterations keep the live-tensor count constant", async () => {
  const rng = new Rng(1, "init");
  const param = (shape: number[]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = keep(tensor(backend, Array.from({ length: size }, () => rng.normal(0, 0.3)), shape));
    t.requiresGrad = true;
    return t;
  };
  const w = param([3, 3, 2, 4]);
  const gamma = param([4]);
  const beta = param([4]);
  const fc = param([3, 4]);
  const params = [w, gamma, beta, fc];
  const runningMean = keep(zeros(backend, [4]));
  const runningVar = keep(ones(backend, [4]));
  const velocity = params.map((p) => keep(zerosLike(p)));
  const x = keep(tensor(backend, Array.from({ length: 4 * 5 * 5 * 2 }, () => rng.normal()), [4, 5, 5, 2]));
  const labels = keep(tensor(backend, [0, 1, 2, 1], [4], "i32"));

  const step = () =>
    scopeAsync(async () => {
      const h = relu(batchNorm(conv2d(x, w, { padding: 1 }), gamma, beta, runningMean, runningVar, { training: true }));
      const loss = reduceMean(softmaxCrossEntropy(linear(globalAvgPool(h), fc), labels));
      backward(loss);
      params.forEach((p, i) => {
        sgdUpdate(p, p.grad!, velocity[i], { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 5e-4 });
        p.grad!.dispose();
        p.grad = null;
      });
      return await loss.item();
    });

  const first = await step();
  const baseline = liveTensorCount();
  let last = first;
  for (let i = 1; i < 1000; i++) {
    last = await step();
    assert.strictEqual(liveTensorCount(), baseline, `iteration ${i}: live tensors changed`);
  }
  assert.ok(last < first, `loss should fall: ${first} → ${last}`);
  for (const t of [...params, ...velocity, runningMean, runningVar, x, labels]) t.dispose();
});
