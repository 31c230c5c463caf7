/**
 * `hard_swish`: Hard swish (PyTorch): x · clamp(x + 3, 0, 6) / 6.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { affine } from "./affine.ts";
import { greater } from "./greater.ts";
import { mul } from "./mul.ts";
import { scalarLike } from "./create.ts";
import { where } from "./where.ts";

/** Shape rule and gradient of `hard_swish`. */
export const hardSwishSpec = unarySpec("hard_swish", (x, _y, dy) => {
  // PyTorch: 0 below −3, dy·(x/3 + 1/2) on [−3, 3], dy above 3.
  const atLeastMinus3 = affine(greater(scalarLike(x, -3), x), -1, 1);
  const inner = mul(atLeastMinus3, affine(x, 1 / 3, 0.5));
  return mul(dy, where(greater(x, scalarLike(x, 3)), scalarLike(x, 1), inner));
});

/** Hard swish (PyTorch): x · clamp(x + 3, 0, 6) / 6. */
export function hardSwish(x: Tensor): Tensor {
  return runOp(hardSwishSpec, [x], {})[0];
}
