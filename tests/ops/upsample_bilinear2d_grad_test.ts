import assert from "node:assert";
import { ReferenceBackend } from "../../src/backends/reference/backend.ts";
import { tensor, upsampleBilinear2dGrad } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: checked through upsample_bilinear2d's gradient check and here for backend parity.
testOp("upsample_bilinear2d_grad", [
  {
    name: "align corners, 7x9 from 3x4",
    inputs: [{ shape: [2, 7, 9, 3] }],
    run: ([dy]) => upsampleBilinear2dGrad(dy, [2, 3, 4, 3], true),
  },
  {
    name: "half-pixel centres, 6x8 from 4x3",
    inputs: [{ shape: [1, 6, 8, 5] }],
    run: ([dy]) => upsampleBilinear2dGrad(dy, [1, 4, 3, 5], false),
  },
  {
    name: "downsized 3x2 from 5x5",
    inputs: [{ shape: [1, 3, 2, 2] }],
    run: ([dy]) => upsampleBilinear2dGrad(dy, [1, 5, 5, 2], false),
  },
  // 65536 dy elements over two images: the threaded wasm path
  {
    name: "align corners 32x32 from 16x16, threaded size",
    inputs: [{ shape: [2, 32, 32, 32] }],
    run: ([dy]) => upsampleBilinear2dGrad(dy, [2, 16, 16, 32], true),
  },
], { gradient: false });

Deno.test("upsample_bilinear2d_grad: spreads each output over its taps with the forward weights", async () => {
  // align corners 2 → 3 along a line: the middle output sits halfway between the two inputs
  const dy = tensor(new ReferenceBackend(), [1, 10, 100], [1, 1, 3, 1]);
  assert.deepStrictEqual(await upsampleBilinear2dGrad(dy, [1, 1, 2, 1], true).toArray(), [6, 105]);
});
