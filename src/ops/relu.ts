/**
 * `relu`: Rectified linear unit: max(x, 0).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { greater } from "./greater.ts";
import { mul } from "./mul.ts";
import { scalarLike } from "./create.ts";

/** Shape rule and gradient of `relu`. */
export const reluSpec = unarySpec("relu", (x, _y, dy) => mul(dy, greater(x, scalarLike(x, 0))));

/** Rectified linear unit: max(x, 0). */
export function relu(x: Tensor): Tensor {
  return runOp(reluSpec, [x], {})[0];
}
