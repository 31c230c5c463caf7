/**
 * `log`: Natural logarithm.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { div } from "./div.ts";

/** Shape rule and gradient of `log`. */
export const logSpec = unarySpec("log", (x, _y, dy) => div(dy, x));

/** Natural logarithm. */
export function log(x: Tensor): Tensor {
  return runOp(logSpec, [x], {})[0];
}
