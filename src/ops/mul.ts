/**
 * `mul`: Element-wise a · b with broadcasting.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { binarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";

/** Shape rule and gradient of `mul`. */
export const mulSpec = binarySpec("mul", (a, b, _y, dy) => [mul(dy, b), mul(dy, a)]);

/** Element-wise a · b with broadcasting. */
export function mul(a: Tensor, b: Tensor): Tensor {
  return runOp(mulSpec, [a, b], {})[0];
}
