import { l2Normalize } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("l2_normalize", [
  { name: "embeddings", inputs: [{ shape: [3, 8] }], run: ([x]) => l2Normalize(x) },
  { name: "single column", inputs: [{ shape: [4, 1], range: [0.5, 2] }], run: ([x]) => l2Normalize(x) },
]);
