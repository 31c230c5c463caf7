import { reduceSum } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("reduce_sum", [
  { name: "all axes", inputs: [{ shape: [3, 4] }], run: ([x]) => reduceSum(x) },
  { name: "last axis keepDims", inputs: [{ shape: [2, 3, 5] }], run: ([x]) => reduceSum(x, -1, true) },
  { name: "axes 0 and 2", inputs: [{ shape: [2, 3, 4] }], run: ([x]) => reduceSum(x, [0, 2]) },
  // leading axis: rows of 7 added as vectors (one full SIMD vector and a 3-lane tail)
  { name: "axis 0 of rows of 7", inputs: [{ shape: [5, 7] }], run: ([x]) => reduceSum(x, 0) },
]);
// trailing axes past a unit axis: one output per row, the rows split over the threads (attention's Σ dy·y); too many
// elements for finite differences, so output parity only
testOp("reduce_sum", [
  { name: "trailing axes of 520 rows", inputs: [{ shape: [520, 1, 3, 43] }], run: ([x]) => reduceSum(x, [2, 3], true) },
], { gradient: false });
