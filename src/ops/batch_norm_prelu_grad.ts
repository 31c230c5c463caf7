/**
 * `batch_norm_prelu_grad`: gradients of `batch_norm_prelu` with respect to x, gamma, beta and the PReLU slopes. The
 * normalised map z is recomputed from x, gamma, beta and the statistics the forward pass used, exactly as that pass
 * computed it.
 * @module
 */
import { sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `batch_norm_prelu_grad` (a backward kernel). */
export const batchNormPreluGradSpec: OpSpec<"batch_norm_prelu_grad"> = {
  name: "batch_norm_prelu_grad",
  outputs(inputs) {
    expectInputCount("batch_norm_prelu_grad", inputs, 7);
    const [dy, x] = inputs;
    if (!sameShape(dy.shape, x.shape)) throw new ShapeError("batch_norm_prelu_grad", "dy", "must have the shape of x");
    const c = x.shape[x.rank - 1];
    return [{ shape: x.shape, dtype: "f32" }, ...[0, 1, 2].map(() => ({ shape: [c], dtype: "f32" as const }))];
  },
};

/** dL/dx, dL/dgamma, dL/dbeta, dL/dalpha of PReLU after batch normalisation. */
export function batchNormPreluGrad(
  dy: Tensor,
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  mean: Tensor,
  invStd: Tensor,
  alpha: Tensor,
  training: boolean,
): [Tensor, Tensor, Tensor, Tensor] {
  const [dx, dgamma, dbeta, dalpha] = runOp(batchNormPreluGradSpec, [dy, x, gamma, beta, mean, invStd, alpha], {
    training,
  });
  return [dx, dgamma, dbeta, dalpha];
}
