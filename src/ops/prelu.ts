/**
 * `prelu`: parametric ReLU with one slope per channel (last axis): x > 0 ? x : alpha · x.
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { preluGrad } from "./prelu_grad.ts";

/** Shape rule and gradient of `prelu`. */
export const preluSpec: OpSpec<"prelu"> = {
  name: "prelu",
  outputs(inputs) {
    expectInputCount("prelu", inputs, 2);
    const [x, alpha] = inputs;
    expectDType("prelu", "x", x, "f32");
    expectDType("prelu", "alpha", alpha, "f32");
    const c = x.shape[x.rank - 1];
    if (alpha.rank !== 1 || alpha.shape[0] !== c) {
      throw new ShapeError("prelu", "alpha", `expected shape [${c}] (channels of x), got ${formatShape(alpha.shape)}`);
    }
    return [{ shape: x.shape, dtype: "f32" }];
  },
  grad: ({ inputs: [x, alpha], grads: [dy] }) => preluGrad(dy!, x, alpha),
};

/** Parametric ReLU with per-channel slopes `alpha` [C]. */
export function prelu(x: Tensor, alpha: Tensor): Tensor {
  return runOp(preluSpec, [x, alpha], {})[0];
}
