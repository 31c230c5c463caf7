/**
 * `channel_affine_prelu`: a fused per-channel epilogue over the last axis, y = x · scale + shift, then PReLU
 * (y > 0 ? y : alpha · y) when `alpha` is given. Conv bias and inference-mode batch norm fold into scale and shift
 * (see `BatchNorm.inferenceAffine` in src/nn), so eval-mode Conv → BN → PReLU makes one pass over the activation.
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { sumToShape } from "./_elementwise.ts";
import { mul } from "./mul.ts";
import { expectDType, type OpSpec, runOp } from "./op.ts";
import { preluGrad } from "./prelu_grad.ts";

const ARGS = ["x", "scale", "shift", "alpha"];

/** Shape rule and gradient of `channel_affine_prelu` (inputs x, scale, shift and optionally alpha). */
export const channelAffinePreluSpec: OpSpec<"channel_affine_prelu"> = {
  name: "channel_affine_prelu",
  outputs(inputs) {
    if (inputs.length !== 3 && inputs.length !== 4) {
      throw new Error(`channel_affine_prelu: expected 3 or 4 inputs, got ${inputs.length}`);
    }
    inputs.forEach((t, i) => expectDType("channel_affine_prelu", ARGS[i], t, "f32"));
    const x = inputs[0];
    if (x.rank < 1) throw new ShapeError("channel_affine_prelu", "x", "expected rank ≥ 1 ([..., C]), got a scalar");
    const c = x.shape[x.rank - 1];
    for (let i = 1; i < inputs.length; i++) {
      if (inputs[i].rank !== 1 || inputs[i].shape[0] !== c) {
        throw new ShapeError(
          "channel_affine_prelu",
          ARGS[i],
          `expected shape [${c}] (channels of x), got ${formatShape(inputs[i].shape)}`,
        );
      }
    }
    return [{ shape: x.shape, dtype: "f32" }];
  },
  grad: ({ inputs: [x, scale, shift, alpha], grads: [dy] }) => {
    // With PReLU, its gradient is taken at the pre-activation z = x·scale + shift, recomputed here.
    const [dz, dalpha] = alpha ? preluGrad(dy!, channelAffinePrelu(x, scale, shift), alpha) : [dy!, null];
    const grads = [mul(dz, scale), sumToShape(mul(dz, x), scale.shape), sumToShape(dz, shift.shape)];
    return alpha ? [...grads, dalpha] : grads;
  },
};

/** y = x · scale + shift per channel (last axis), then PReLU with per-channel slopes `alpha` when given. */
export function channelAffinePrelu(x: Tensor, scale: Tensor, shift: Tensor, alpha?: Tensor): Tensor {
  return runOp(channelAffinePreluSpec, alpha ? [x, scale, shift, alpha] : [x, scale, shift], {})[0];
}
