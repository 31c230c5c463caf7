/**
 * `tanh`: Hyperbolic tangent.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { affine } from "./affine.ts";
import { mul } from "./mul.ts";

/** Shape rule and gradient of `tanh`. */
export const tanhSpec = unarySpec("tanh", (_x, y, dy) => mul(dy, affine(mul(y, y), -1, 1)));

/** Hyperbolic tangent. */
export function tanh(x: Tensor): Tensor {
  return runOp(tanhSpec, [x], {})[0];
}
