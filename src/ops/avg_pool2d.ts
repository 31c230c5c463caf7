/**
 * `avg_pool2d`: 2-D average pooling over NHWC maps with PyTorch's divisor rules (count_include_pad, ceil mode).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { type Pool2dOptions, poolAttrs, poolOutputShape } from "./_pool.ts";
import { avgPool2dGrad } from "./avg_pool2d_grad.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `avg_pool2d`. */
export const avgPool2dSpec: OpSpec<"avg_pool2d"> = {
  name: "avg_pool2d",
  outputs(inputs, attrs) {
    expectInputCount("avg_pool2d", inputs, 1);
    expectDType("avg_pool2d", "x", inputs[0], "f32");
    return [{ shape: poolOutputShape("avg_pool2d", inputs[0].shape, attrs), dtype: "f32" }];
  },
  grad: ({ inputs: [x], grads: [dy], attrs }) => [avgPool2dGrad(dy!, x.shape, attrs)],
};

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions extends Pool2dOptions {
  /** count zero padding in the divisor (PyTorch default true) */
  countIncludePad?: boolean;
}

/** Average pooling of NHWC `x`. */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  const attrs = { ...poolAttrs(options), countIncludePad: options.countIncludePad ?? true };
  return runOp(avgPool2dSpec, [x], attrs)[0];
}
