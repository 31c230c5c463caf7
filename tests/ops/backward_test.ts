import assert from "node:assert";
import { RecordingBackend } from "../../src/backends/recording/backend.ts";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { noGrad } from "../../src/core/tape.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import { add, backward, mul, reduceSum, tensor } from "../../src/ops/mod.ts";

const backend = new ReferenceBackend();

function leaf(values: number[]) {
  const t = tensor(backend, values, [values.length]);
  t.requiresGrad = true;
  return t;
}

Deno.test("backward: a tensor used twice accumulates both gradients", async () => {
  const x = leaf([1, 2, 3]);
  backward(reduceSum(add(mul(x, x), x))); // d/dx (x² + x) = 2x + 1
  assert.deepStrictEqual(await x.grad!.toArray(), [3, 5, 7]);
});

Deno.test("backward: a second backward adds into existing .grad", async () => {
  const x = leaf([1, -1]);
  backward(reduceSum(mul(x, x)));
  backward(reduceSum(x));
  assert.deepStrictEqual(await x.grad!.toArray(), [3, -1]);
});

Deno.test("backward: add(x, x) gives each use its own gradient tensor", async () => {
  const x = leaf([2, 4]);
  backward(reduceSum(add(x, x)));
  assert.deepStrictEqual(await x.grad!.toArray(), [2, 2]);
});

Deno.test("backward: noGrad records nothing and backward explains why it cannot run", () => {
  const x = leaf([1]);
  const y = noGrad(() => mul(x, x));
  assert.strictEqual(y.node, null);
  assert.throws(() => backward(y), /does not require a gradient/);
});

Deno.test("backward: a non-scalar loss needs a seed gradient", async () => {
  const x = leaf([1, 2]);
  const y = mul(x, x);
  assert.throws(() => backward(y), /must have one element/);
  backward(y, tensor(backend, [1, 10], [2]));
  assert.deepStrictEqual(await x.grad!.toArray(), [2, 40]);
});

Deno.test("backward: inputs that do not require a gradient get none", () => {
  const x = leaf([1, 2]);
  const c = tensor(backend, [3, 4], [2]);
  backward(reduceSum(mul(x, c)));
  assert.strictEqual(c.grad, null);
});

Deno.test("backward: an output gradient passed on is taken over, not copied, by its last use", async () => {
  const recording = new RecordingBackend(new ReferenceBackend());
  const x = tensor(recording, [1, 2], [2]), y = tensor(recording, [3, 4], [2]);
  x.requiresGrad = y.requiresGrad = true;
  const copiesIn = (loss: Tensor) => recording.record(() => backward(loss)).calls.filter((c) => c.op === "copy").length;
  // add passes dy on to both inputs: one copy for two uses (it made two before)
  assert.strictEqual(copiesIn(reduceSum(add(x, y))), 1);
  assert.deepStrictEqual(await x.grad!.toArray(), [1, 1]);
  assert.deepStrictEqual(await y.grad!.toArray(), [1, 1]);
  x.grad!.dispose();
  x.grad = null;
  // reduce_sum's gradient is a new tensor; add passes it to x and to mul: one copy
  assert.strictEqual(copiesIn(reduceSum(add(x, mul(x, y)))), 1);
  assert.deepStrictEqual(await x.grad!.toArray(), [4, 5]); // 1 + y
});

Deno.test("backward: outside any scope it leaves the gradients and nothing else", () => {
  const x = leaf([1, 2]), y = leaf([3, 4]);
  const sum = add(x, y), loss = reduceSum(sum); // reduce_sum's grad rule reshapes dy before broadcasting it
  const before = backend.memory().liveBytes;
  backward(loss);
  assert.strictEqual(backend.memory().liveBytes - before, 2 * 2 * 4);
  for (const t of [x.grad!, y.grad!, sum, loss]) t.dispose();
});
