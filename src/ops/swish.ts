/**
 * `swish`: Swish / SiLU: x · sigmoid(x).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { add } from "./add.ts";
import { affine } from "./affine.ts";
import { mul } from "./mul.ts";
import { sigmoid } from "./sigmoid.ts";

/** Shape rule and gradient of `swish`. */
export const swishSpec = unarySpec("swish", (x, y, dy) => {
  const s = sigmoid(x);
  return mul(dy, add(s, mul(y, affine(s, -1, 1))));
});

/** Swish / SiLU: x · sigmoid(x). */
export function swish(x: Tensor): Tensor {
  return runOp(swishSpec, [x], {})[0];
}
