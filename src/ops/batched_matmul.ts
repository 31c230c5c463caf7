/**
 * `batched_matmul`: C[g] = op(A[g]) · op(B[g]) for rank-3 operands [batch, rows, cols] with transpose flags applied
 * to every batch entry, as `torch.bmm` (the attention products q·kᵀ and attn·v of a transformer, heads folded into
 * the batch axis).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { productGrads, productOutputs } from "./_matmul.ts";
import { type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `batched_matmul`. */
export const batchedMatmulSpec: OpSpec<"batched_matmul"> = {
  name: "batched_matmul",
  outputs: (inputs, attrs) => productOutputs("batched_matmul", inputs, attrs, true),
  grad: ({ inputs: [a, b], grads: [dc], attrs }) => productGrads(batchedMatmul, a, b, dc!, attrs),
};

/** Batched matrix product: op(a[g]) · op(b[g]) for every g, where op transposes when its flag is set. */
export function batchedMatmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  return runOp(batchedMatmulSpec, [a, b], { transposeA, transposeB })[0];
}
