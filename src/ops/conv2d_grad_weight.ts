/**
 * `conv2d_grad_weight`: gradient of `conv2d` with respect to its HWIO filter.
 * @module
 */
import type { Conv2dAttrs } from "../core/kernels.ts";
import { formatShape, sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { conv2dOutputShape } from "./conv2d.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `conv2d_grad_weight` (a backward kernel; not differentiated again). */
export const conv2dGradWeightSpec: OpSpec<"conv2d_grad_weight"> = {
  name: "conv2d_grad_weight",
  outputs(inputs, attrs) {
    expectInputCount("conv2d_grad_weight", inputs, 2);
    const [x, dy] = inputs;
    expectDType("conv2d_grad_weight", "x", x, "f32");
    expectDType("conv2d_grad_weight", "dy", dy, "f32");
    const expected = conv2dOutputShape("conv2d_grad_weight", x.shape, attrs.filterShape, attrs);
    if (!sameShape(expected, dy.shape)) {
      throw new ShapeError(
        "conv2d_grad_weight",
        "dy",
        `expected shape ${formatShape(expected)}, got ${formatShape(dy.shape)}`,
      );
    }
    return [{ shape: attrs.filterShape, dtype: "f32" }];
  },
};

/** dL/dw of a convolution, given its input, dL/dy and the filter shape. */
export function conv2dGradWeight(x: Tensor, dy: Tensor, filterShape: readonly number[], attrs: Conv2dAttrs): Tensor {
  return runOp(conv2dGradWeightSpec, [x, dy], { ...attrs, filterShape: [...filterShape] })[0];
}
