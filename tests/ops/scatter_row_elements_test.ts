import { scatterRowElements } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("scatter_row_elements", [
  {
    name: "one value per row",
    inputs: [{ shape: [4] }, { shape: [4], dtype: "i32", values: [5, 0, 3, 3] }],
    run: ([v, idx]) => scatterRowElements(v, idx, 6),
  },
]);
