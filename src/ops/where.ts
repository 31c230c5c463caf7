/**
 * `where`: element-wise select, cond ≠ 0 ? a : b, with all three inputs broadcast together.
 * @module
 */
import { broadcastShapes } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { sumToShape } from "./_elementwise.ts";
import { zerosLike } from "./create.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `where` (no gradient to the condition). */
export const whereSpec: OpSpec<"where"> = {
  name: "where",
  outputs(inputs) {
    expectInputCount("where", inputs, 3);
    ["cond", "a", "b"].forEach((arg, i) => expectDType("where", arg, inputs[i], "f32"));
    const ab = broadcastShapes("where", inputs[1].shape, inputs[2].shape);
    return [{ shape: broadcastShapes("where", inputs[0].shape, ab), dtype: "f32" }];
  },
  grad: ({ inputs: [cond, a, b], grads: [dy] }) => {
    const zero = zerosLike(dy!);
    return [null, sumToShape(where(cond, dy!, zero), a.shape), sumToShape(where(cond, zero, dy!), b.shape)];
  },
};

/** Selects `a` where `cond` is non-zero and `b` elsewhere. */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  return runOp(whereSpec, [cond, a, b], {})[0];
}
