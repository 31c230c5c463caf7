/**
 * `abs`: Absolute value (gradient 0 at 0).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { greater } from "./greater.ts";
import { mul } from "./mul.ts";
import { scalarLike } from "./create.ts";
import { sub } from "./sub.ts";

/** Shape rule and gradient of `abs`. */
export const absSpec = unarySpec(
  "abs",
  (x, _y, dy) => mul(dy, sub(greater(x, scalarLike(x, 0)), greater(scalarLike(x, 0), x))),
);

/** Absolute value (gradient 0 at 0). */
export function abs(x: Tensor): Tensor {
  return runOp(absSpec, [x], {})[0];
}
