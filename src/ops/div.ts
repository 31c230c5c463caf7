/**
 * `div`: Element-wise a / b with broadcasting.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { binarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { mul } from "./mul.ts";
import { neg } from "./neg.ts";

/** Shape rule and gradient of `div`. */
export const divSpec = binarySpec("div", (_a, b, y, dy) => [div(dy, b), neg(div(mul(dy, y), b))]);

/** Element-wise a / b with broadcasting. */
export function div(a: Tensor, b: Tensor): Tensor {
  return runOp(divSpec, [a, b], {})[0];
}
