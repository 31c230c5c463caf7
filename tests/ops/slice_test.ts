import { slice } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("slice", [
  { name: "inner window", inputs: [{ shape: [4, 5] }], run: ([x]) => slice(x, [1, 2], [2, 3]) },
  { name: "channels of NHWC", inputs: [{ shape: [1, 2, 3, 6] }], run: ([x]) => slice(x, [0, 0, 1, 2], [1, 2, 2, -1]) },
]);
