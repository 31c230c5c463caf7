/**
 * `layer_norm_grad`: gradients of `layer_norm` with respect to x, gamma and beta in one kernel, from the row means
 * and inverse standard deviations of the forward pass: with x̂ = (x − mean) · invStd and g = dy · gamma,
 * dx = invStd · (g − mean_row(g) − x̂ · mean_row(g · x̂)), dgamma = Σ_rows dy · x̂, dbeta = Σ_rows dy.
 * @module
 */
import { formatShape, sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

const ARGS = ["dy", "x", "gamma", "mean", "invStd"];

/** Shape rule of `layer_norm_grad` (a backward kernel). */
export const layerNormGradSpec: OpSpec<"layer_norm_grad"> = {
  name: "layer_norm_grad",
  outputs(inputs) {
    expectInputCount("layer_norm_grad", inputs, 5);
    inputs.forEach((t, i) => expectDType("layer_norm_grad", ARGS[i], t, "f32"));
    const [dy, x, gamma, mean, invStd] = inputs;
    if (!sameShape(dy.shape, x.shape)) throw new ShapeError("layer_norm_grad", "dy", "must have the shape of x");
    const d = x.shape[x.rank - 1];
    const rows = x.size / d;
    const expect = [[gamma, "gamma", d], [mean, "mean", rows], [invStd, "invStd", rows]] as const;
    for (const [t, name, n] of expect) {
      if (t.rank !== 1 || t.shape[0] !== n) {
        throw new ShapeError("layer_norm_grad", name, `expected shape [${n}], got ${formatShape(t.shape)}`);
      }
    }
    return [{ shape: x.shape, dtype: "f32" }, { shape: [d], dtype: "f32" }, { shape: [d], dtype: "f32" }];
  },
};

/** dL/dx, dL/dgamma, dL/dbeta of layer normalisation. */
export function layerNormGrad(
  dy: Tensor,
  x: Tensor,
  gamma: Tensor,
  mean: Tensor,
  invStd: Tensor,
): [Tensor, Tensor, Tensor] {
  const [dx, dgamma, dbeta] = runOp(layerNormGradSpec, [dy, x, gamma, mean, invStd], {});
  return [dx, dgamma, dbeta];
}
