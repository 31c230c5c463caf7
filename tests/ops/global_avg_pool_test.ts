import { globalAvgPool } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("global_avg_pool", [
  { name: "3x3 map", inputs: [{ shape: [2, 3, 3, 4] }], run: ([x]) => globalAvgPool(x) },
  { name: "7x5 map", inputs: [{ shape: [1, 7, 5, 3] }], run: ([x]) => globalAvgPool(x) },
]);
