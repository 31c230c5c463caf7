import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { ShapeError } from "../../src/core/shape.ts";
import { tensor, upsampleBilinear2d } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("upsample_bilinear2d", [
  {
    name: "align corners, 3x4 to 7x9",
    inputs: [{ shape: [2, 3, 4, 3] }],
    run: ([x]) => upsampleBilinear2d(x, { size: [7, 9], alignCorners: true }),
  },
  {
    name: "half-pixel centres, 4x3 to 6x8, 5 channels",
    inputs: [{ shape: [1, 4, 3, 5] }],
    run: ([x]) => upsampleBilinear2d(x, { size: [6, 8] }),
  },
  {
    name: "downsizing 5x5 to 3x2, both rules",
    inputs: [{ shape: [1, 5, 5, 2] }],
    run: ([x]) => [
      upsampleBilinear2d(x, { size: [3, 2], alignCorners: true }),
      upsampleBilinear2d(x, { size: [3, 2] }),
    ],
  },
  {
    name: "align corners to one row",
    inputs: [{ shape: [1, 3, 2, 4] }],
    run: ([x]) => upsampleBilinear2d(x, { size: [1, 5], alignCorners: true }),
  },
]);

// forward only: 65536 output elements, enough for the threaded wasm path
testOp("upsample_bilinear2d", [
  {
    name: "align corners 16x16 to 32x32, threaded size",
    inputs: [{ shape: [2, 16, 16, 32] }],
    run: ([x]) => upsampleBilinear2d(x, { size: [32, 32], alignCorners: true }),
  },
], { gradient: false });

Deno.test("upsample_bilinear2d: interpolates as PyTorch's align_corners true and false", async () => {
  const backend = new ReferenceBackend();
  const square = tensor(backend, [0, 1, 2, 3], [1, 2, 2, 1]);
  assert.deepStrictEqual(
    await upsampleBilinear2d(square, { size: [3, 3], alignCorners: true }).toArray(),
    [0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3],
  );
  // half-pixel centres: sources −0.25 (clamped to 0), 0.25, 0.75, 1.25 (its second tap clamped to the last pixel)
  const line = tensor(backend, [0, 1], [1, 1, 2, 1]);
  assert.deepStrictEqual(await upsampleBilinear2d(line, { size: [1, 4] }).toArray(), [0, 0.25, 0.75, 1]);
});

Deno.test("upsample_bilinear2d: rejects a size that is not a positive integer", () => {
  const x = tensor(new ReferenceBackend(), [0, 1, 2, 3], [1, 2, 2, 1]);
  assert.throws(() => upsampleBilinear2d(x, { size: [0, 2] }), ShapeError);
  assert.throws(() => upsampleBilinear2d(x, { size: [2.5, 2] }), ShapeError);
});
