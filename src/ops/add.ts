/**
 * `add`: Element-wise a + b with broadcasting.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { binarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";

/** Shape rule and gradient of `add`. */
export const addSpec = binarySpec("add", (_a, _b, _y, dy) => [dy, dy]);

/** Element-wise a + b with broadcasting. */
export function add(a: Tensor, b: Tensor): Tensor {
  return runOp(addSpec, [a, b], {})[0];
}
