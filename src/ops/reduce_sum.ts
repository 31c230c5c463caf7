/**
 * `reduce_sum`: sum over a set of axes.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { normalizeAxes, reducedShape } from "./_axes.ts";
import { broadcastTo } from "./broadcast_to.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { reshape } from "./reshape.ts";

/** Shape rule and gradient of `reduce_sum` (output drops the reduced axes). */
export const reduceSumSpec: OpSpec<"reduce_sum"> = {
  name: "reduce_sum",
  outputs(inputs, attrs) {
    expectInputCount("reduce_sum", inputs, 1);
    expectDType("reduce_sum", "x", inputs[0], "f32");
    return [{ shape: reducedShape(inputs[0].shape, attrs.axes, false), dtype: "f32" }];
  },
  grad: ({ inputs: [x], grads: [dy], attrs }) => [
    broadcastTo(reshape(dy!, reducedShape(x.shape, attrs.axes, true)), x.shape),
  ],
};

/** Sums over `axes` (default: all); `keepDims` keeps them as size-1 axes. */
export function reduceSum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const list = normalizeAxes("reduce_sum", axes, x.rank);
  const y = runOp(reduceSumSpec, [x], { axes: list })[0];
  return keepDims ? reshape(y, reducedShape(x.shape, list, true)) : y;
}
