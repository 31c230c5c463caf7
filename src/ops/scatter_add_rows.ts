/**
 * `scatter_add_rows`: adds row m of `src` into row idx[m] of a zero tensor with `rows` rows (summed in m order,
 * so the result is deterministic).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { expectIndexVector } from "./_index.ts";
import { gatherRows } from "./gather_rows.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `scatter_add_rows` (gradient: gather). */
export const scatterAddRowsSpec: OpSpec<"scatter_add_rows"> = {
  name: "scatter_add_rows",
  outputs(inputs, { rows }) {
    expectInputCount("scatter_add_rows", inputs, 2);
    const [src, idx] = inputs;
    expectDType("scatter_add_rows", "src", src, "f32");
    expectIndexVector("scatter_add_rows", idx, src.shape[0]);
    return [{ shape: [rows, ...src.shape.slice(1)], dtype: "f32" }];
  },
  grad: ({ inputs: [, idx], grads: [dy] }) => [gatherRows(dy!, idx), null],
};

/** A [rows, ...] tensor whose row r is the sum of the rows m of `src` with idx[m] = r. */
export function scatterAddRows(src: Tensor, idx: Tensor, rows: number): Tensor {
  return runOp(scatterAddRowsSpec, [src, idx], { rows })[0];
}
