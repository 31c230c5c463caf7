/**
 * `prelu_grad`: gradients of `prelu` with respect to x and the per-channel slopes in one pass.
 * @module
 */
import { sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `prelu_grad` (a backward kernel). */
export const preluGradSpec: OpSpec<"prelu_grad"> = {
  name: "prelu_grad",
  outputs(inputs) {
    expectInputCount("prelu_grad", inputs, 3);
    const [dy, x, alpha] = inputs;
    if (!sameShape(dy.shape, x.shape)) throw new ShapeError("prelu_grad", "dy", "must have the shape of x");
    return [{ shape: x.shape, dtype: "f32" }, { shape: alpha.shape, dtype: "f32" }];
  },
};

/** [dL/dx, dL/dalpha] of PReLU. */
export function preluGrad(dy: Tensor, x: Tensor, alpha: Tensor): [Tensor, Tensor] {
  const [dx, dalpha] = runOp(preluGradSpec, [dy, x, alpha], {});
  return [dx, dalpha];
}
