/**
 * `clamp`: Clamps to [min, max]; the gradient passes where min ≤ x ≤ max (PyTorch).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { affine } from "./affine.ts";
import { greater } from "./greater.ts";
import { mul } from "./mul.ts";
import { scalarLike } from "./create.ts";

/** Shape rule and gradient of `clamp`. */
export const clampSpec = unarySpec("clamp", (x, _y, dy, attrs) => {
  const aboveMin = affine(greater(scalarLike(x, attrs.min), x), -1, 1);
  const belowMax = affine(greater(x, scalarLike(x, attrs.max)), -1, 1);
  return mul(dy, mul(aboveMin, belowMax));
});

/** Clamps to [min, max]; the gradient passes where min ≤ x ≤ max (PyTorch). */
export function clamp(x: Tensor, min: number, max: number): Tensor {
  return runOp(clampSpec, [x], { min, max })[0];
}
