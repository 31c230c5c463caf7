/**
 * `adamw_update`: one fused, in-place AdamW step on a parameter and its two moment buffers (PyTorch
 * `torch.optim.AdamW` semantics: decoupled weight decay, then the bias-corrected Adam step).
 * @module
 */
import type { KernelAttrs } from "../core/kernels.ts";
import { ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectSameShapeF32, type OpSpec, runOp } from "./op.ts";

const ARGS = ["param", "grad", "expAvg", "expAvgSq"];

/** Shape rule of `adamw_update` (no outputs: updates param and both moments in place). */
export const adamwUpdateSpec: OpSpec<"adamw_update"> = {
  name: "adamw_update",
  outputs(inputs, attrs) {
    expectSameShapeF32("adamw_update", ARGS, inputs);
    if (!Number.isInteger(attrs.step) || attrs.step < 1) {
      throw new ShapeError("adamw_update", "step", `expected an integer ≥ 1, got ${attrs.step}`);
    }
    return [];
  },
  writes: () => [0, 2, 3],
};

/** Updates `param`, `expAvg` (first moment) and `expAvgSq` (second moment) in place from `grad`. */
export function adamwUpdate(
  param: Tensor,
  grad: Tensor,
  expAvg: Tensor,
  expAvgSq: Tensor,
  attrs: KernelAttrs["adamw_update"],
): void {
  runOp(adamwUpdateSpec, [param, grad, expAvg, expAvgSq], attrs);
}
