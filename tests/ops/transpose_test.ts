import { transpose } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("transpose", [
  { name: "matrix", inputs: [{ shape: [3, 5] }], run: ([x]) => transpose(x) },
  { name: "NHWC to NCHW", inputs: [{ shape: [2, 3, 4, 5] }], run: ([x]) => transpose(x, [0, 3, 1, 2]) },
]);
