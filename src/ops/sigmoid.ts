/**
 * `sigmoid`: Logistic sigmoid 1 / (1 + e^−x).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { affine } from "./affine.ts";
import { mul } from "./mul.ts";

/** Shape rule and gradient of `sigmoid`. */
export const sigmoidSpec = unarySpec("sigmoid", (_x, y, dy) => mul(dy, mul(y, affine(y, -1, 1))));

/** Logistic sigmoid 1 / (1 + e^−x). */
export function sigmoid(x: Tensor): Tensor {
  return runOp(sigmoidSpec, [x], {})[0];
}
