import { sigmoid } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("sigmoid", [
  { name: "vector", inputs: [{ shape: [9], range: [-4, 4] }], run: ([x]) => sigmoid(x) },
  { name: "NHWC map", inputs: [{ shape: [2, 3, 3, 5], range: [-4, 4] }], run: ([x]) => sigmoid(x) },
]);
