/**
 * `log_softmax`: numerically stable log-softmax along the last axis.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { lastAxisOutputs } from "./_last_axis.ts";
import { exp } from "./exp.ts";
import { mul } from "./mul.ts";
import { type OpSpec, runOp } from "./op.ts";
import { reduceSum } from "./reduce_sum.ts";
import { sub } from "./sub.ts";

/** Shape rule and gradient of `log_softmax`: dx = dy − softmax · Σ dy. */
export const logSoftmaxSpec: OpSpec<"log_softmax"> = {
  name: "log_softmax",
  outputs: (inputs) => lastAxisOutputs("log_softmax", inputs),
  grad: ({ outputs: [y], grads: [dy] }) => [sub(dy!, mul(exp(y), reduceSum(dy!, -1, true)))],
};

/** Log-softmax along the last axis. */
export function logSoftmax(x: Tensor): Tensor {
  return runOp(logSoftmaxSpec, [x], {})[0];
}
