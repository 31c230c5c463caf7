/**
 * `minimum`: Element-wise min(a, b); ties split the gradient evenly (PyTorch).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { binarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { add } from "./add.ts";
import { affine } from "./affine.ts";
import { equal } from "./equal.ts";
import { greater } from "./greater.ts";
import { mul } from "./mul.ts";

/** Shape rule and gradient of `minimum`. */
export const minimumSpec = binarySpec("minimum", (a, b, _y, dy) => {
  const toA = add(greater(b, a), affine(equal(a, b), 0.5, 0));
  return [mul(dy, toA), mul(dy, affine(toA, -1, 1))];
});

/** Element-wise min(a, b); ties split the gradient evenly (PyTorch). */
export function minimum(a: Tensor, b: Tensor): Tensor {
  return runOp(minimumSpec, [a, b], {})[0];
}
