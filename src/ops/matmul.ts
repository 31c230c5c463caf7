/**
 * `matmul`: C = op(A) · op(B) for 2-D operands, with transpose flags (so backward needs no explicit transposes).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { productGrads, productOutputs } from "./_matmul.ts";
import { type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `matmul`. */
export const matmulSpec: OpSpec<"matmul"> = {
  name: "matmul",
  outputs: (inputs, attrs) => productOutputs("matmul", inputs, attrs, false),
  grad: ({ inputs: [a, b], grads: [dc], attrs }) => productGrads(matmul, a, b, dc!, attrs),
};

/** Matrix product op(a) · op(b), where op transposes when its flag is set. */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return runOp(matmulSpec, [a, b], { transposeA, transposeB })[0];
}
