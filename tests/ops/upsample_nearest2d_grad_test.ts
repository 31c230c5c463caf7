import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { ShapeError } from "../../src/core/shape.ts";
import { tensor, upsampleNearest2dGrad } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: checked through upsample_nearest2d's gradient check and here for backend parity.
testOp("upsample_nearest2d_grad", [
  { name: "scale 2", inputs: [{ shape: [2, 6, 4, 3] }], run: ([dy]) => upsampleNearest2dGrad(dy, [2, 2]) },
  { name: "scale [3, 2]", inputs: [{ shape: [1, 6, 6, 5] }], run: ([dy]) => upsampleNearest2dGrad(dy, [3, 2]) },
  // 65536 dy elements: enough for the threaded wasm path
  {
    name: "scale 2, threaded size",
    inputs: [{ shape: [2, 32, 32, 32] }],
    run: ([dy]) => upsampleNearest2dGrad(dy, [2, 2]),
  },
], { gradient: false });

Deno.test("upsample_nearest2d_grad: sums each scale block", async () => {
  const dy = tensor(new ReferenceBackend(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
  const dx = upsampleNearest2dGrad(dy, [2, 2]);
  assert.deepStrictEqual(dx.shape, [1, 2, 2, 1]);
  assert.deepStrictEqual(await dx.toArray(), [1 + 2 + 5 + 6, 3 + 4 + 7 + 8, 9 + 10 + 13 + 14, 11 + 12 + 15 + 16]);
  assert.deepStrictEqual(await upsampleNearest2dGrad(dy, [4, 1]).toArray(), [28, 32, 36, 40]);
});

Deno.test("upsample_nearest2d_grad: rejects a map that the scale does not divide", () => {
  const dy = tensor(new ReferenceBackend(), new Array(12).fill(0), [1, 3, 4, 1]);
  assert.throws(() => upsampleNearest2dGrad(dy, [2, 2]), ShapeError);
});
