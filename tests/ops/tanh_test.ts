import { tanh } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("tanh", [
  { name: "vector", inputs: [{ shape: [9], range: [-2, 2] }], run: ([x]) => tanh(x) },
  { name: "NHWC map", inputs: [{ shape: [2, 3, 3, 5], range: [-2, 2] }], run: ([x]) => tanh(x) },
]);
