/**
 * `cos`: Cosine.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";
import { mul } from "./mul.ts";
import { neg } from "./neg.ts";
import { sin } from "./sin.ts";

/** Shape rule and gradient of `cos`. */
export const cosSpec = unarySpec("cos", (x, _y, dy) => neg(mul(dy, sin(x))));

/** Cosine. */
export function cos(x: Tensor): Tensor {
  return runOp(cosSpec, [x], {})[0];
}
