/**
 * `acos`: Arc cosine; clamp the input to (−1, 1) first where the gradient matters.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { affine } from "./affine.ts";
import { div } from "./div.ts";
import { mul } from "./mul.ts";
import { neg } from "./neg.ts";
import { sqrt } from "./sqrt.ts";

/** Shape rule and gradient of `acos`. */
export const acosSpec = unarySpec("acos", (x, _y, dy) => neg(div(dy, sqrt(affine(mul(x, x), -1, 1)))));

/** Arc cosine; clamp the input to (−1, 1) first where the gradient matters. */
export function acos(x: Tensor): Tensor {
  return runOp(acosSpec, [x], {})[0];
}
