import { hardSigmoid } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("hard_sigmoid", [
  { name: "vector", inputs: [{ shape: [9], range: [-5, 5] }], run: ([x]) => hardSigmoid(x) },
  { name: "NHWC map", inputs: [{ shape: [2, 3, 3, 5], range: [-5, 5] }], run: ([x]) => hardSigmoid(x) },
]);
