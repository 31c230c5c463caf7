/**
 * `neg`: Negation −x.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { unarySpec } from "./_elementwise.ts";
import { runOp } from "./op.ts";

/** Shape rule and gradient of `neg`. */
export const negSpec = unarySpec("neg", (_x, _y, dy) => neg(dy));

/** Negation −x. */
export function neg(x: Tensor): Tensor {
  return runOp(negSpec, [x], {})[0];
}
