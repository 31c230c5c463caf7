/**
 * `equal`: Element-wise comparison: 1 where a == b, else 0 (not differentiable).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { binarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";

/** Shape rule of `equal`. */
export const equalSpec = binarySpec("equal");

/** Element-wise comparison: 1 where a == b, else 0 (not differentiable). */
export function equal(a: Tensor, b: Tensor): Tensor {
  return runOp(equalSpec, [a, b], {})[0];
}
