/**
 * `softmax`: numerically stable softmax along the last axis.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { lastAxisOutputs } from "./_last_axis.ts";
import { mul } from "./mul.ts";
import { type OpSpec, runOp } from "./op.ts";
import { reduceSum } from "./reduce_sum.ts";
import { sub } from "./sub.ts";

/** Backward of softmax: y · (dy − Σ dy·y). */
export function softmaxBackward(y: Tensor, dy: Tensor): Tensor {
  return mul(y, sub(dy, reduceSum(mul(dy, y), -1, true)));
}

/** Shape rule and gradient of `softmax`. */
export const softmaxSpec: OpSpec<"softmax"> = {
  name: "softmax",
  outputs: (inputs) => lastAxisOutputs("softmax", inputs),
  grad: ({ outputs: [y], grads: [dy] }) => [softmaxBackward(y, dy!)],
};

/** Softmax along the last axis. */
export function softmax(x: Tensor): Tensor {
  return runOp(softmaxSpec, [x], {})[0];
}
