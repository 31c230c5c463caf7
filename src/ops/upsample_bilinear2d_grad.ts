/**
 * `upsample_bilinear2d_grad`: dL/dx of bilinear resizing, each output gradient spread over its 2×2 input taps.
 * @module
 */
import { assertRank, formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `upsample_bilinear2d_grad` (a backward kernel). */
export const upsampleBilinear2dGradSpec: OpSpec<"upsample_bilinear2d_grad"> = {
  name: "upsample_bilinear2d_grad",
  outputs(inputs, { inputShape }) {
    expectInputCount("upsample_bilinear2d_grad", inputs, 1);
    const dy = inputs[0];
    expectDType("upsample_bilinear2d_grad", "dy", dy, "f32");
    assertRank("upsample_bilinear2d_grad", "dy", dy.shape, 4, "NHWC");
    assertRank("upsample_bilinear2d_grad", "inputShape", inputShape, 4, "NHWC");
    if (dy.shape[0] !== inputShape[0] || dy.shape[3] !== inputShape[3]) {
      throw new ShapeError(
        "upsample_bilinear2d_grad",
        "dy",
        `batch and channels must match the input ${formatShape(inputShape)}, got ${formatShape(dy.shape)}`,
      );
    }
    return [{ shape: [...inputShape], dtype: "f32" }];
  },
};

/** dL/dx of bilinear resizing to dy's size from an input of `inputShape`. */
export function upsampleBilinear2dGrad(dy: Tensor, inputShape: readonly number[], alignCorners: boolean): Tensor {
  return runOp(upsampleBilinear2dGradSpec, [dy], { inputShape: [...inputShape], alignCorners })[0];
}
