import { reduceSum } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("reduce_sum", [
  { name: "all axes", inputs: [{ shape: [3, 4] }], run: ([x]) => reduceSum(x) },
  { name: "last axis keepDims", inputs: [{ shape: [2, 3, 5] }], run: ([x]) => reduceSum(x, -1, true) },
  { name: "axes 0 and 2", inputs: [{ shape: [2, 3, 4] }], run: ([x]) => reduceSum(x, [0, 2]) },
]);
