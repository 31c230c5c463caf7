import { logSoftmax } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("log_softmax", [
  { name: "rows", inputs: [{ shape: [3, 5], range: [-3, 3] }], run: ([x]) => logSoftmax(x) },
  { name: "large logits stay finite", inputs: [{ shape: [2, 4], range: [80, 100] }], run: ([x]) => logSoftmax(x) },
]);
