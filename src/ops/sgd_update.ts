/**
 * `sgd_update`: one fused, in-place SGD step on a parameter and its momentum buffer (PyTorch semantics, weight
 * decay added to the gradient, optional Nesterov).
 * @module
 */
import type { KernelAttrs } from "../core/kernels.ts";
import { formatShape, sameShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

const ARGS = ["param", "grad", "velocity"];

/** Shape rule of `sgd_update` (no outputs: updates param and velocity in place). */
export const sgdUpdateSpec: OpSpec<"sgd_update"> = {
  name: "sgd_update",
  outputs(inputs) {
    expectInputCount("sgd_update", inputs, 3);
    inputs.forEach((t, i) => {
      expectDType("sgd_update", ARGS[i], t, "f32");
      if (!sameShape(t.shape, inputs[0].shape)) {
        throw new ShapeError(
          "sgd_update",
          ARGS[i],
          `expected shape ${formatShape(inputs[0].shape)}, got ${formatShape(t.shape)}`,
        );
      }
    });
    return [];
  },
};

/** Updates `param` and `velocity` in place from `grad`. */
export function sgdUpdate(param: Tensor, grad: Tensor, velocity: Tensor, attrs: KernelAttrs["sgd_update"]): void {
  runOp(sgdUpdateSpec, [param, grad, velocity], attrs);
}
