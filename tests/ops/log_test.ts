import { log } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("log", [
  { name: "vector", inputs: [{ shape: [9], range: [0.2, 3] }], run: ([x]) => log(x) },
  { name: "NHWC map", inputs: [{ shape: [2, 3, 3, 5], range: [0.2, 3] }], run: ([x]) => log(x) },
]);
