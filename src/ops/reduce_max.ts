/**
 * `reduce_max`: maximum over a set of axes; tied maxima share the gradient evenly (PyTorch `amax`).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { normalizeAxes, reducedShape } from "./_axes.ts";
import { broadcastTo } from "./broadcast_to.ts";
import { div } from "./div.ts";
import { equal } from "./equal.ts";
import { mul } from "./mul.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { reduceSum } from "./reduce_sum.ts";
import { reshape } from "./reshape.ts";

/** Shape rule and gradient of `reduce_max`. */
export const reduceMaxSpec: OpSpec<"reduce_max"> = {
  name: "reduce_max",
  outputs(inputs, attrs) {
    expectInputCount("reduce_max", inputs, 1);
    expectDType("reduce_max", "x", inputs[0], "f32");
    if (inputs[0].size === 0) throw new Error('reduce_max: argument "x" is empty');
    return [{ shape: reducedShape(inputs[0].shape, attrs.axes, false), dtype: "f32" }];
  },
  grad: ({ inputs: [x], outputs: [y], grads: [dy], attrs }) => {
    const kept = reducedShape(x.shape, attrs.axes, true);
    const isMax = equal(x, reshape(y, kept));
    const share = div(reshape(dy!, kept), reduceSum(isMax, attrs.axes, true));
    return [mul(isMax, broadcastTo(share, x.shape))];
  },
};

/** Maximum over `axes` (default: all); `keepDims` keeps them as size-1 axes. */
export function reduceMax(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const list = normalizeAxes("reduce_max", axes, x.rank);
  const y = runOp(reduceMaxSpec, [x], { axes: list })[0];
  return keepDims ? reshape(y, reducedShape(x.shape, list, true)) : y;
}
