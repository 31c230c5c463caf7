/**
 * `scatter_row_elements`: a zero [N, columns] matrix with v[n] placed at column idx[n] of row n.
 * @module
 */
import { ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { expectIndexVector } from "./_index.ts";
import { gatherRowElements } from "./gather_row_elements.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `scatter_row_elements`. */
export const scatterRowElementsSpec: OpSpec<"scatter_row_elements"> = {
  name: "scatter_row_elements",
  outputs(inputs, { columns }) {
    expectInputCount("scatter_row_elements", inputs, 2);
    const [v, idx] = inputs;
    expectDType("scatter_row_elements", "v", v, "f32");
    if (v.rank !== 1) throw new ShapeError("scatter_row_elements", "v", "expected a vector [N]");
    expectIndexVector("scatter_row_elements", idx, v.shape[0]);
    return [{ shape: [v.shape[0], columns], dtype: "f32" }];
  },
  grad: ({ inputs: [, idx], grads: [dy] }) => [gatherRowElements(dy!, idx), null],
};

/** Places v[n] at (n, idx[n]) of a zero [N, columns] matrix. */
export function scatterRowElements(v: Tensor, idx: Tensor, columns: number): Tensor {
  return runOp(scatterRowElementsSpec, [v, idx], { columns })[0];
}
