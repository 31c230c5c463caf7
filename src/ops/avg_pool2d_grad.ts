/**
 * `avg_pool2d_grad`: spreads each output gradient evenly over its window (same divisor as the forward pass).
 * @module
 */
import type { AvgPool2dAttrs } from "../core/kernels.ts";
import { formatShape, sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { poolOutputShape } from "./_pool.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `avg_pool2d_grad` (a backward kernel). */
export const avgPool2dGradSpec: OpSpec<"avg_pool2d_grad"> = {
  name: "avg_pool2d_grad",
  outputs(inputs, attrs) {
    expectInputCount("avg_pool2d_grad", inputs, 1);
    expectDType("avg_pool2d_grad", "dy", inputs[0], "f32");
    const expected = poolOutputShape("avg_pool2d_grad", attrs.inputShape, attrs);
    if (!sameShape(expected, inputs[0].shape)) {
      throw new ShapeError(
        "avg_pool2d_grad",
        "dy",
        `expected shape ${formatShape(expected)}, got ${formatShape(inputs[0].shape)}`,
      );
    }
    return [{ shape: attrs.inputShape, dtype: "f32" }];
  },
};

/** dL/dx of average pooling. */
export function avgPool2dGrad(dy: Tensor, inputShape: readonly number[], attrs: AvgPool2dAttrs): Tensor {
  return runOp(avgPool2dGradSpec, [dy], { ...attrs, inputShape: [...inputShape] })[0];
}
