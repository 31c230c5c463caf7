/**
 * `batch_norm_grad`: gradients of `batch_norm` with respect to x, gamma and beta in one pass.
 * @module
 */
import { sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `batch_norm_grad` (a backward kernel). */
export const batchNormGradSpec: OpSpec<"batch_norm_grad"> = {
  name: "batch_norm_grad",
  outputs(inputs) {
    expectInputCount("batch_norm_grad", inputs, 5);
    const [dy, x] = inputs;
    if (!sameShape(dy.shape, x.shape)) throw new ShapeError("batch_norm_grad", "dy", "must have the shape of x");
    const c = x.shape[x.rank - 1];
    return [{ shape: x.shape, dtype: "f32" }, { shape: [c], dtype: "f32" }, { shape: [c], dtype: "f32" }];
  },
};

/** dL/dx, dL/dgamma, dL/dbeta of batch normalisation, from the mean and inverse std the forward pass used. */
export function batchNormGrad(
  dy: Tensor,
  x: Tensor,
  gamma: Tensor,
  mean: Tensor,
  invStd: Tensor,
  training: boolean,
): [Tensor, Tensor, Tensor] {
  const [dx, dgamma, dbeta] = runOp(batchNormGradSpec, [dy, x, gamma, mean, invStd], { training });
  return [dx, dgamma, dbeta];
}
