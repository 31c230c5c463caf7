import { relu6 } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("relu6", [
  { name: "vector", inputs: [{ shape: [9], range: [-8, 8] }], run: ([x]) => relu6(x) },
  { name: "NHWC map", inputs: [{ shape: [2, 3, 3, 5], range: [-8, 8] }], run: ([x]) => relu6(x) },
]);
