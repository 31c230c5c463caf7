/**
 * `gather_rows`: selects rows (first-axis slices) by index, x[idx].
 * @module
 */
import { ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectIndexVector } from "./_index.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { scatterAddRows } from "./scatter_add_rows.ts";

/** Shape rule and gradient of `gather_rows` (gradient: scatter-add back). Indices must be in range. */
export const gatherRowsSpec: OpSpec<"gather_rows"> = {
  name: "gather_rows",
  outputs(inputs) {
    expectInputCount("gather_rows", inputs, 2);
    const [x, idx] = inputs;
    expectDType("gather_rows", "x", x, "f32");
    expectIndexVector("gather_rows", idx);
    if (x.rank < 1) throw new ShapeError("gather_rows", "x", "must have at least one axis");
    return [{ shape: [idx.shape[0], ...x.shape.slice(1)], dtype: "f32" }];
  },
  grad: ({ inputs: [x, idx], grads: [dy] }) => [scatterAddRows(dy!, idx, x.shape[0]), null],
};

/** Rows `idx` of `x`. */
export function gatherRows(x: Tensor, idx: Tensor): Tensor {
  return runOp(gatherRowsSpec, [x, idx], {})[0];
}
