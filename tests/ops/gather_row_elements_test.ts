import { gatherRowElements } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("gather_row_elements", [
  {
    name: "target logits",
    inputs: [{ shape: [4, 6] }, { shape: [4], dtype: "i32", values: [5, 0, 3, 3] }],
    run: ([x, idx]) => gatherRowElements(x, idx),
  },
]);
