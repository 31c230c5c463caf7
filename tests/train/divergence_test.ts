import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { liveTensorCount } from "../../src/core/tensor.ts";
import { tensor } from "../../src/ops/mod.ts";
import { assertFiniteLoss, assertFiniteParameters, DivergenceError } from "../../src/train/divergence.ts";
import { squaredNorm } from "../../src/train/squared_norm.ts";

const backend = new ReferenceBackend();
const entry = (path: string, values: number[]) => ({
  path,
  tensor: tensor(backend, values, [values.length]),
  decay: true,
});

Deno.test("assertFiniteLoss: NaN and Infinity stop training with the step", () => {
  assertFiniteLoss(3.5, 1);
  assert.throws(
    () => assertFiniteLoss(NaN, 17),
    (e: Error) => e instanceof DivergenceError && e.message === "training diverged at step 17: loss is NaN",
  );
  assert.throws(() => assertFiniteLoss(-Infinity, 2), /loss is -Infinity/);
});

Deno.test("assertFiniteParameters: passes finite weights, names the first non-finite parameter, frees its scalars", async () => {
  const good = [entry("a", [1, 2]), entry("b", [3])];
  const before = liveTensorCount();
  await assertFiniteParameters(good, 5);
  assert.strictEqual(liveTensorCount(), before);
  await assert.rejects(
    assertFiniteParameters([...good, entry("head.weight", [0, Infinity]), entry("c", [NaN])], 9),
    /training diverged at step 9: parameter "head.weight" contains NaN or Inf/,
  );
  assert.strictEqual(liveTensorCount(), before + 2, "only the two new parameters remain");
});

Deno.test("squaredNorm: sum of squares across tensors", async () => {
  assert.strictEqual(await squaredNorm([tensor(backend, [3], [1]), tensor(backend, [4, 0], [2])]).item(), 25);
  assert.throws(() => squaredNorm([]), /needs at least one tensor/);
});
