/**
 * `greater`: Element-wise comparison: 1 where a > b, else 0 (not differentiable).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { binarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";

/** Shape rule of `greater`. */
export const greaterSpec = binarySpec("greater");

/** Element-wise comparison: 1 where a > b, else 0 (not differentiable). */
export function greater(a: Tensor, b: Tensor): Tensor {
  return runOp(greaterSpec, [a, b], {})[0];
}
