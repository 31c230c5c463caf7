/**
 * `upsample_nearest2d`: nearest-neighbour upsampling of NHWC maps by integer factors (PyTorch's
 * `nn.Upsample(scale_factor=s, mode="nearest")`: output pixel (y, x) copies input pixel (⌊y/s⌋, ⌊x/s⌋)).
 * @module
 */
import { assertRank } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { upsampleScale } from "./_upsample.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { upsampleNearest2dGrad } from "./upsample_nearest2d_grad.ts";

/** Shape rule and gradient of `upsample_nearest2d` (gradient: the sum over each scale block). */
export const upsampleNearest2dSpec: OpSpec<"upsample_nearest2d"> = {
  name: "upsample_nearest2d",
  outputs(inputs, { scale }) {
    expectInputCount("upsample_nearest2d", inputs, 1);
    const x = inputs[0];
    expectDType("upsample_nearest2d", "x", x, "f32");
    assertRank("upsample_nearest2d", "x", x.shape, 4, "NHWC");
    const [sh, sw] = upsampleScale("upsample_nearest2d", scale);
    return [{ shape: [x.shape[0], x.shape[1] * sh, x.shape[2] * sw, x.shape[3]], dtype: "f32" }];
  },
  grad: ({ grads: [dy], attrs: { scale } }) => [upsampleNearest2dGrad(dy!, scale)],
};

/** Upsamples NHWC `x` by integer `scale` (one factor, or [h, w]) with nearest-neighbour copies. */
export function upsampleNearest2d(x: Tensor, scale: number | [number, number]): Tensor {
  return runOp(upsampleNearest2dSpec, [x], { scale: upsampleScale("upsample_nearest2d", scale) })[0];
}
