import { softmax } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("softmax", [
  { name: "rows", inputs: [{ shape: [3, 5], range: [-3, 3] }], run: ([x]) => softmax(x) },
  { name: "rank 3", inputs: [{ shape: [2, 2, 7], range: [-3, 3] }], run: ([x]) => softmax(x) },
  { name: "large logits stay finite", inputs: [{ shape: [2, 3], range: [80, 100] }], run: ([x]) => softmax(x) },
]);
