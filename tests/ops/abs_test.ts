import { abs } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("abs", [
  { name: "vector", inputs: [{ shape: [9] }], run: ([x]) => abs(x) },
  { name: "NHWC map", inputs: [{ shape: [2, 3, 3, 5] }], run: ([x]) => abs(x) },
]);
