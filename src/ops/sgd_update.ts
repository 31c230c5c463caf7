/**
 * `sgd_update`: one fused, in-place SGD step on a parameter and its momentum buffer (PyTorch semantics, weight
 * decay added to the gradient, optional Nesterov).
 * @module
 */
import type { KernelAttrs } from "../core/kernels.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectSameShapeF32, type OpSpec, runOp } from "./op.ts";

const ARGS = ["param", "grad", "velocity"];

/** Shape rule of `sgd_update` (no outputs: updates param and velocity in place). */
export const sgdUpdateSpec: OpSpec<"sgd_update"> = {
  name: "sgd_update",
  outputs(inputs) {
    expectSameShapeF32("sgd_update", ARGS, inputs);
    return [];
  },
  writes: () => [0, 2],
};

/** Updates `param` and `velocity` in place from `grad`. */
export function sgdUpdate(param: Tensor, grad: Tensor, velocity: Tensor, attrs: KernelAttrs["sgd_update"]): void {
  runOp(sgdUpdateSpec, [param, grad, velocity], attrs);
}
