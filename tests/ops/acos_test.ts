import { acos } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("acos", [
  { name: "vector", inputs: [{ shape: [9], range: [-0.9, 0.9] }], run: ([x]) => acos(x) },
  { name: "NHWC map", inputs: [{ shape: [2, 3, 3, 5], range: [-0.9, 0.9] }], run: ([x]) => acos(x) },
]);
