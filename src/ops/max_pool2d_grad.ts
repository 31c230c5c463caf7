/**
 * `max_pool2d_grad`: routes each output gradient to the input position that won its window.
 * @module
 */
import type { Pool2dAttrs } from "../core/kernels.ts";
import { formatShape, sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { poolOutputShape } from "./_pool.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `max_pool2d_grad` (a backward kernel). */
export const maxPool2dGradSpec: OpSpec<"max_pool2d_grad"> = {
  name: "max_pool2d_grad",
  outputs(inputs, attrs) {
    expectInputCount("max_pool2d_grad", inputs, 2);
    const [dy, argmax] = inputs;
    expectDType("max_pool2d_grad", "dy", dy, "f32");
    expectDType("max_pool2d_grad", "argmax", argmax, "i32");
    const expected = poolOutputShape("max_pool2d_grad", attrs.inputShape, attrs);
    if (!sameShape(expected, dy.shape) || !sameShape(expected, argmax.shape)) {
      throw new ShapeError(
        "max_pool2d_grad",
        "dy",
        `expected shape ${formatShape(expected)}, got ${formatShape(dy.shape)}`,
      );
    }
    return [{ shape: attrs.inputShape, dtype: "f32" }];
  },
};

/** dL/dx of max pooling from dL/dy and the forward argmax. */
export function maxPool2dGrad(dy: Tensor, argmax: Tensor, inputShape: readonly number[], attrs: Pool2dAttrs): Tensor {
  return runOp(maxPool2dGradSpec, [dy, argmax], { ...attrs, inputShape: [...inputShape] })[0];
}
