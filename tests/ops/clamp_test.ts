import { clamp } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("clamp", [{
  name: "both bounds",
  inputs: [{ shape: [3, 7], range: [-2, 2] }],
  run: ([x]) => clamp(x, -0.5, 0.75),
}]);
