/**
 * `sub`: Element-wise a − b with broadcasting.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { binarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { neg } from "./neg.ts";

/** Shape rule and gradient of `sub`. */
export const subSpec = binarySpec("sub", (_a, _b, _y, dy) => [dy, neg(dy)]);

/** Element-wise a − b with broadcasting. */
export function sub(a: Tensor, b: Tensor): Tensor {
  return runOp(subSpec, [a, b], {})[0];
}
