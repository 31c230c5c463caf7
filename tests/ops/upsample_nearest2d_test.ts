import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { ShapeError } from "../../src/core/shape.ts";
import { tensor, upsampleNearest2d } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("upsample_nearest2d", [
  { name: "scale 2", inputs: [{ shape: [2, 3, 2, 3] }], run: ([x]) => upsampleNearest2d(x, 2) },
  { name: "scale [3, 2], odd channels", inputs: [{ shape: [1, 2, 3, 5] }], run: ([x]) => upsampleNearest2d(x, [3, 2]) },
  { name: "scale 4, one pixel", inputs: [{ shape: [3, 1, 1, 4] }], run: ([x]) => upsampleNearest2d(x, 4) },
]);

// forward only: 65536 output elements, enough for the threaded wasm path
testOp("upsample_nearest2d", [
  { name: "scale 2, threaded size", inputs: [{ shape: [2, 16, 16, 32] }], run: ([x]) => upsampleNearest2d(x, 2) },
], { gradient: false });

Deno.test("upsample_nearest2d: repeats each pixel over its scale block (PyTorch mode nearest)", async () => {
  // NHWC [1, 2, 2, 1] holding [[1, 2], [3, 4]], scaled by [1, 2] then by 2
  const x = tensor(new ReferenceBackend(), [1, 2, 3, 4], [1, 2, 2, 1]);
  assert.deepStrictEqual(await upsampleNearest2d(x, [1, 2]).toArray(), [1, 1, 2, 2, 3, 3, 4, 4]);
  const y = upsampleNearest2d(x, 2);
  assert.deepStrictEqual(y.shape, [1, 4, 4, 1]);
  assert.deepStrictEqual(await y.toArray(), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
});

Deno.test("upsample_nearest2d: rejects a scale that is not a positive integer", () => {
  const x = tensor(new ReferenceBackend(), [1, 2, 3, 4], [1, 2, 2, 1]);
  assert.throws(() => upsampleNearest2d(x, 1.5), ShapeError);
  assert.throws(() => upsampleNearest2d(x, [2, 0]), ShapeError);
});
