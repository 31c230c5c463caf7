/**
 * `hard_sigmoid`: Hard sigmoid (PyTorch): clamp(x / 6 + 1/2, 0, 1).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { affine } from "./affine.ts";
import { greater } from "./greater.ts";
import { mul } from "./mul.ts";
import { scalarLike } from "./create.ts";

/** Shape rule and gradient of `hard_sigmoid`. */
export const hardSigmoidSpec = unarySpec(
  "hard_sigmoid",
  (x, _y, dy) => mul(dy, affine(mul(greater(x, scalarLike(x, -3)), greater(scalarLike(x, 3), x)), 1 / 6, 0)),
);

/** Hard sigmoid (PyTorch): clamp(x / 6 + 1/2, 0, 1). */
export function hardSigmoid(x: Tensor): Tensor {
  return runOp(hardSigmoidSpec, [x], {})[0];
}
