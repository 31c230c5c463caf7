/**
 * `pad`: zero padding before and after each axis.
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";
import { slice } from "./slice.ts";

/** Shape rule and gradient of `pad` (gradient: the inner window). */
export const padSpec: OpSpec<"pad"> = {
  name: "pad",
  outputs(inputs, { before, after }) {
    expectInputCount("pad", inputs, 1);
    const x = inputs[0];
    const ok = before.length === x.rank && after.length === x.rank &&
      [...before, ...after].every((v) => Number.isInteger(v) && v >= 0);
    if (!ok) {
      throw new ShapeError(
        "pad",
        "before/after",
        `expected ${x.rank} non-negative integers each for input ${formatShape(x.shape)}, got ${
          formatShape(before)
        } and ${formatShape(after)}`,
      );
    }
    return [{ shape: x.shape.map((d, i) => d + before[i] + after[i]), dtype: x.dtype }];
  },
  grad: ({ inputs: [x], grads: [dy], attrs: { before } }) => [slice(dy!, before, x.shape)],
};

/** Pads `x` with zeros: `before[i]` and `after[i]` elements on axis i. */
export function pad(x: Tensor, before: readonly number[], after: readonly number[]): Tensor {
  return runOp(padSpec, [x], { before: [...before], after: [...after] })[0];
}
