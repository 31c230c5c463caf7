/**
 * `upsample_bilinear2d`: bilinear resizing of NHWC maps to a given size, with PyTorch's source-coordinate rules
 * (`F.interpolate(mode="bilinear", align_corners=…)`; `nn.UpsamplingBilinear2d` is `alignCorners: true`).
 * @module
 */
import { assertRank, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { upsampleBilinear2dGrad } from "./upsample_bilinear2d_grad.ts";

/** Shape rule and gradient of `upsample_bilinear2d`. */
export const upsampleBilinear2dSpec: OpSpec<"upsample_bilinear2d"> = {
  name: "upsample_bilinear2d",
  outputs(inputs, { size }) {
    expectInputCount("upsample_bilinear2d", inputs, 1);
    const x = inputs[0];
    expectDType("upsample_bilinear2d", "x", x, "f32");
    assertRank("upsample_bilinear2d", "x", x.shape, 4, "NHWC");
    if (!size.every((s) => Number.isInteger(s) && s >= 1)) {
      throw new ShapeError("upsample_bilinear2d", "size", `expected integers >= 1, got [${size.join(", ")}]`);
    }
    return [{ shape: [x.shape[0], size[0], size[1], x.shape[3]], dtype: "f32" }];
  },
  grad: ({ inputs: [x], grads: [dy], attrs: { alignCorners } }) => [
    upsampleBilinear2dGrad(dy!, x.shape, alignCorners),
  ],
};

/** Options of {@link upsampleBilinear2d}. */
export interface UpsampleBilinear2dOptions {
  /** output height and width */
  size: [number, number];
  /** PyTorch's `align_corners` (default false, as `F.interpolate`; `nn.UpsamplingBilinear2d` uses true) */
  alignCorners?: boolean;
}

/** Resizes NHWC `x` to `options.size` by bilinear interpolation. */
export function upsampleBilinear2d(x: Tensor, options: UpsampleBilinear2dOptions): Tensor {
  const attrs = {
    size: [options.size[0], options.size[1]] as [number, number],
    alignCorners: options.alignCorners ?? false,
  };
  return runOp(upsampleBilinear2dSpec, [x], attrs)[0];
}
