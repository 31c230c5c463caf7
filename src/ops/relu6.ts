/**
 * `relu6`: ReLU capped at 6: min(max(x, 0), 6).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { greater } from "./greater.ts";
import { mul } from "./mul.ts";
import { scalarLike } from "./create.ts";

/** Shape rule and gradient of `relu6`. */
export const relu6Spec = unarySpec(
  "relu6",
  (x, _y, dy) => mul(dy, mul(greater(x, scalarLike(x, 0)), greater(scalarLike(x, 6), x))),
);

/** ReLU capped at 6: min(max(x, 0), 6). */
export function relu6(x: Tensor): Tensor {
  return runOp(relu6Spec, [x], {})[0];
}
