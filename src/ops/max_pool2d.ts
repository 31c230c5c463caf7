/**
 * `max_pool2d`: 2-D max pooling over NHWC maps (padding never wins; ties keep the first window position).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { type Pool2dOptions, poolAttrs, poolOutputShape } from "./_pool.ts";
import { maxPool2dGrad } from "./max_pool2d_grad.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `max_pool2d`; outputs y and the argmax plane index (i32). */
export const maxPool2dSpec: OpSpec<"max_pool2d"> = {
  name: "max_pool2d",
  outputs(inputs, attrs) {
    expectInputCount("max_pool2d", inputs, 1);
    expectDType("max_pool2d", "x", inputs[0], "f32");
    const shape = poolOutputShape("max_pool2d", inputs[0].shape, attrs);
    return [{ shape, dtype: "f32" }, { shape, dtype: "i32" }];
  },
  grad: ({ inputs: [x], outputs: [, argmax], grads: [dy], attrs }) => [maxPool2dGrad(dy!, argmax, x.shape, attrs)],
};

/** Max pooling of NHWC `x`. */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  return maxPool2dWithArgmax(x, options)[0];
}

/** Max pooling that also returns each window's argmax (flat h·W + w index into the input plane, i32). */
export function maxPool2dWithArgmax(x: Tensor, options: Pool2dOptions): [Tensor, Tensor] {
  const [y, argmax] = runOp(maxPool2dSpec, [x], poolAttrs(options));
  return [y, argmax];
}
