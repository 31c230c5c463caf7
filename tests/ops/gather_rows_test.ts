import { gatherRows } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("gather_rows", [
  {
    name: "repeated rows",
    inputs: [{ shape: [4, 3] }, { shape: [5], dtype: "i32", values: [2, 0, 2, 3, 2] }],
    run: ([x, idx]) => gatherRows(x, idx),
  },
  {
    name: "rank 3 rows",
    inputs: [{ shape: [3, 2, 2] }, { shape: [2], dtype: "i32", values: [1, 1] }],
    run: ([x, idx]) => gatherRows(x, idx),
  },
]);
