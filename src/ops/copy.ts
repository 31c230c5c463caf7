/**
 * `copy`: the same elements in a tensor of its own (same shape and dtype), or written over an existing tensor.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp, runOpInto } from "./op.ts";

/** Shape rule and gradient of `copy`: the output has the input's shape and dtype; the gradient passes through. */
export const copySpec: OpSpec<"copy"> = {
  name: "copy",
  outputs(inputs) {
    expectInputCount("copy", inputs, 1);
    return [{ shape: inputs[0].shape, dtype: inputs[0].dtype }];
  },
  grad: ({ grads: [dy] }) => [copy(dy!)],
};

/** A new tensor holding the values of `x`. */
export function copy(x: Tensor): Tensor {
  return runOp(copySpec, [x], {})[0];
}

/**
 * Overwrites `target` with the values of `source` (same shape, dtype and backend); `target` keeps its identity, and
 * the write is not recorded on the tape.
 */
export function copyInto(target: Tensor, source: Tensor): void {
  runOpInto(copySpec, [source], [target], {});
}
