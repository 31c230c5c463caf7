/**
 * `gather_row_elements`: one element per row, x[n, idx[n]] (the target logit of each sample).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { expectIndexVector, expectMatrix } from "./_index.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { scatterRowElements } from "./scatter_row_elements.ts";

/** Shape rule and gradient of `gather_row_elements`. */
export const gatherRowElementsSpec: OpSpec<"gather_row_elements"> = {
  name: "gather_row_elements",
  outputs(inputs) {
    expectInputCount("gather_row_elements", inputs, 2);
    const [x, idx] = inputs;
    expectDType("gather_row_elements", "x", x, "f32");
    expectMatrix("gather_row_elements", "x", x);
    expectIndexVector("gather_row_elements", idx, x.shape[0]);
    return [{ shape: [x.shape[0]], dtype: "f32" }];
  },
  grad: ({ inputs: [x, idx], grads: [dy] }) => [scatterRowElements(dy!, idx, x.shape[1]), null],
};

/** x[n, idx[n]] for every row n. */
export function gatherRowElements(x: Tensor, idx: Tensor): Tensor {
  return runOp(gatherRowElementsSpec, [x, idx], {})[0];
}
