/**
 * `exp`: Natural exponential e^x.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { mul } from "./mul.ts";

/** Shape rule and gradient of `exp`. */
export const expSpec = unarySpec("exp", (_x, y, dy) => mul(dy, y));

/** Natural exponential e^x. */
export function exp(x: Tensor): Tensor {
  return runOp(expSpec, [x], {})[0];
}
