import { pow } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("pow", [{ name: "square", inputs: [{ shape: [2, 5] }], run: ([x]) => pow(x, 2) }, {
  name: "fractional exponent",
  inputs: [{ shape: [3, 4], range: [0.3, 2] }],
  run: ([x]) => pow(x, 1.5),
}]);
