/**
 * `upsample_nearest2d_grad`: dL/dx of nearest-neighbour upsampling, the sum of dy over each scale block.
 * @module
 */
import { assertRank, formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { upsampleScale } from "./_upsample.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `upsample_nearest2d_grad` (a backward kernel). */
export const upsampleNearest2dGradSpec: OpSpec<"upsample_nearest2d_grad"> = {
  name: "upsample_nearest2d_grad",
  outputs(inputs, { scale }) {
    expectInputCount("upsample_nearest2d_grad", inputs, 1);
    const dy = inputs[0];
    expectDType("upsample_nearest2d_grad", "dy", dy, "f32");
    assertRank("upsample_nearest2d_grad", "dy", dy.shape, 4, "NHWC");
    const [sh, sw] = upsampleScale("upsample_nearest2d_grad", scale);
    if (dy.shape[1] % sh !== 0 || dy.shape[2] % sw !== 0) {
      throw new ShapeError(
        "upsample_nearest2d_grad",
        "dy",
        `height and width must be multiples of the scale [${sh}, ${sw}], got shape ${formatShape(dy.shape)}`,
      );
    }
    return [{ shape: [dy.shape[0], dy.shape[1] / sh, dy.shape[2] / sw, dy.shape[3]], dtype: "f32" }];
  },
};

/** Sums NHWC `dy` over each `scale` block: the gradient of `upsample_nearest2d` with respect to its input. */
export function upsampleNearest2dGrad(dy: Tensor, scale: [number, number]): Tensor {
  return runOp(upsampleNearest2dGradSpec, [dy], { scale })[0];
}
