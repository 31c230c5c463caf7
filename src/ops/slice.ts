/**
 * `slice`: a rectangular window of a tensor along any axes.
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";
import { pad } from "./pad.ts";

/** Shape rule and gradient of `slice` (gradient: zero padding back to the input shape). */
export const sliceSpec: OpSpec<"slice"> = {
  name: "slice",
  outputs(inputs, { begin, size }) {
    expectInputCount("slice", inputs, 1);
    const x = inputs[0];
    const fits = begin.length === x.rank && size.length === x.rank &&
      begin.every((b, i) => Number.isInteger(b) && b >= 0 && size[i] >= 0 && b + size[i] <= x.shape[i]);
    if (!fits) {
      throw new ShapeError(
        "slice",
        "begin/size",
        `window begin ${formatShape(begin)} size ${formatShape(size)} does not fit input ${formatShape(x.shape)}`,
      );
    }
    return [{ shape: size, dtype: x.dtype }];
  },
  grad: ({ inputs: [x], grads: [dy], attrs: { begin, size } }) => [
    pad(dy!, begin, x.shape.map((d, i) => d - begin[i] - size[i])),
  ],
};

/** The window of `x` of shape `size` starting at `begin`; a size of −1 runs to the end of that axis. */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  const resolved = size.map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
  return runOp(sliceSpec, [x], { begin: [...begin], size: resolved })[0];
}
