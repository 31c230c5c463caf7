/**
 * `conv2d_grad_input`: gradient of `conv2d` with respect to its input (a transposed convolution).
 * @module
 */
import type { Conv2dAttrs } from "../core/kernels.ts";
import { formatShape, sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { conv2dOutputShape } from "./conv2d.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `conv2d_grad_input` (a backward kernel; not differentiated again). */
export const conv2dGradInputSpec: OpSpec<"conv2d_grad_input"> = {
  name: "conv2d_grad_input",
  outputs(inputs, attrs) {
    expectInputCount("conv2d_grad_input", inputs, 2);
    const [dy, w] = inputs;
    expectDType("conv2d_grad_input", "dy", dy, "f32");
    expectDType("conv2d_grad_input", "w", w, "f32");
    const expected = conv2dOutputShape("conv2d_grad_input", attrs.inputShape, w.shape, attrs);
    if (!sameShape(expected, dy.shape)) {
      throw new ShapeError(
        "conv2d_grad_input",
        "dy",
        `expected shape ${formatShape(expected)}, got ${formatShape(dy.shape)}`,
      );
    }
    return [{ shape: attrs.inputShape, dtype: "f32" }];
  },
};

/** dL/dx of a convolution, given dL/dy, the filter and the input shape. */
export function conv2dGradInput(dy: Tensor, w: Tensor, inputShape: readonly number[], attrs: Conv2dAttrs): Tensor {
  return runOp(conv2dGradInputSpec, [dy, w], { ...attrs, inputShape: [...inputShape] })[0];
}
