/**
 * `affine`: Scale and shift by constants: scale · x + shift.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";

/** Shape rule and gradient of `affine`. */
export const affineSpec = unarySpec("affine", (_x, _y, dy, attrs) => affine(dy, attrs.scale, 0));

/** Scale and shift by constants: scale · x + shift. */
export function affine(x: Tensor, scale: number, shift: number): Tensor {
  return runOp(affineSpec, [x], { scale, shift })[0];
}
