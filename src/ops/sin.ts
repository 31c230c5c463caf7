/**
 * `sin`: Sine.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { cos } from "./cos.ts";
import { mul } from "./mul.ts";

/** Shape rule and gradient of `sin`. */
export const sinSpec = unarySpec("sin", (x, _y, dy) => mul(dy, cos(x)));

/** Sine. */
export function sin(x: Tensor): Tensor {
  return runOp(sinSpec, [x], {})[0];
}
