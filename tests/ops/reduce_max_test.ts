import { reduceMax } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("reduce_max", [
  { name: "rows", inputs: [{ shape: [4, 5] }], run: ([x]) => reduceMax(x, 1) },
  { name: "axes 0 and 2 keepDims", inputs: [{ shape: [3, 2, 4] }], run: ([x]) => reduceMax(x, [0, 2], true) },
]);
// trailing axis of 67,080 elements: one output per row, the rows split over the threads; output parity only
testOp("reduce_max", [
  { name: "last axis of 520 rows", inputs: [{ shape: [520, 129], range: [-50, -10] }], run: ([x]) => reduceMax(x, 1) },
], { gradient: false });
