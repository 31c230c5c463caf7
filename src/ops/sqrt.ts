/**
 * `sqrt`: Square root.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { affine } from "./affine.ts";
import { div } from "./div.ts";

/** Shape rule and gradient of `sqrt`. */
export const sqrtSpec = unarySpec("sqrt", (_x, y, dy) => div(dy, affine(y, 2, 0)));

/** Square root. */
export function sqrt(x: Tensor): Tensor {
  return runOp(sqrtSpec, [x], {})[0];
}
