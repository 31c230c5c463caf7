/**
 * `l2_normalize`: rows of [N, D] scaled to unit L2 norm, y = x / max(‖x‖, eps); also returns the norms.
 * The gradient assumes ‖x‖ > eps (below it the row is numerically zero anyway).
 * @module
 */
import { assertRank } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { add } from "./add.ts";
import { div } from "./div.ts";
import { mul } from "./mul.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { reduceSum } from "./reduce_sum.ts";
import { reshape } from "./reshape.ts";
import { sub } from "./sub.ts";

/** Shape rule and gradient of `l2_normalize`; outputs y [N, D] and norm [N]. */
export const l2NormalizeSpec: OpSpec<"l2_normalize"> = {
  name: "l2_normalize",
  outputs(inputs) {
    expectInputCount("l2_normalize", inputs, 1);
    expectDType("l2_normalize", "x", inputs[0], "f32");
    assertRank("l2_normalize", "x", inputs[0].shape, 2, "[N, D]");
    return [{ shape: inputs[0].shape, dtype: "f32" }, { shape: [inputs[0].shape[0]], dtype: "f32" }];
  },
  grad: ({ outputs: [y, norm], grads: [dy, dNorm] }) => {
    const column = [y.shape[0], 1];
    let dx: Tensor | null = null;
    if (dy) dx = div(sub(dy, mul(y, reduceSum(mul(dy, y), -1, true))), reshape(norm, column));
    if (dNorm) {
      const fromNorm = mul(y, reshape(dNorm, column));
      dx = dx ? add(dx, fromNorm) : fromNorm;
    }
    return [dx];
  },
};

/** L2-normalises the rows of `x` [N, D]. */
export function l2Normalize(x: Tensor, eps = 1e-12): Tensor {
  return runOp(l2NormalizeSpec, [x], { eps })[0];
}
