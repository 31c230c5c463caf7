import { scatterAddRows } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("scatter_add_rows", [
  {
    name: "colliding indices add",
    inputs: [{ shape: [5, 3] }, { shape: [5], dtype: "i32", values: [2, 0, 2, 3, 2] }],
    run: ([src, idx]) => scatterAddRows(src, idx, 4),
  },
]);
