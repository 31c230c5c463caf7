import { sin } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("sin", [
  { name: "vector", inputs: [{ shape: [9], range: [-3, 3] }], run: ([x]) => sin(x) },
  { name: "NHWC map", inputs: [{ shape: [2, 3, 3, 5], range: [-3, 3] }], run: ([x]) => sin(x) },
]);
