/**
 * `pow`: Power with a constant exponent: x^exponent.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { affine } from "./affine.ts";
import { mul } from "./mul.ts";

/** Shape rule and gradient of `pow`. */
export const powSpec = unarySpec(
  "pow",
  (x, _y, dy, attrs) => mul(dy, affine(pow(x, attrs.exponent - 1), attrs.exponent, 0)),
);

/** Power with a constant exponent: x^exponent. */
export function pow(x: Tensor, exponent: number): Tensor {
  return runOp(powSpec, [x], { exponent })[0];
}
