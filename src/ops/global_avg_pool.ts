/**
 * `global_avg_pool`: mean over H and W of an NHWC map → [N, C].
 * @module
 */
import { assertRank } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { affine } from "./affine.ts";
import { broadcastTo } from "./broadcast_to.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { reshape } from "./reshape.ts";

/** Shape rule and gradient of `global_avg_pool`. */
export const globalAvgPoolSpec: OpSpec<"global_avg_pool"> = {
  name: "global_avg_pool",
  outputs(inputs) {
    expectInputCount("global_avg_pool", inputs, 1);
    expectDType("global_avg_pool", "x", inputs[0], "f32");
    assertRank("global_avg_pool", "x", inputs[0].shape, 4, "NHWC");
    const [n, , , c] = inputs[0].shape;
    return [{ shape: [n, c], dtype: "f32" }];
  },
  grad: ({ inputs: [x], grads: [dy] }) => {
    const [n, h, w, c] = x.shape;
    return [broadcastTo(reshape(affine(dy!, 1 / (h * w), 0), [n, 1, 1, c]), x.shape)];
  },
};

/** Global average pooling of NHWC `x` to [N, C]. */
export function globalAvgPool(x: Tensor): Tensor {
  return runOp(globalAvgPoolSpec, [x], {})[0];
}
