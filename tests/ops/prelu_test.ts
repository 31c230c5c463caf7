import { prelu } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("prelu", [
  { name: "NHWC", inputs: [{ shape: [2, 3, 3, 4] }, { shape: [4], range: [0, 0.5] }], run: ([x, a]) => prelu(x, a) },
  { name: "[N, C]", inputs: [{ shape: [5, 3] }, { shape: [3], range: [0, 0.5] }], run: ([x, a]) => prelu(x, a) },
]);
