import { pad } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("pad", [
  { name: "matrix", inputs: [{ shape: [2, 3] }], run: ([x]) => pad(x, [1, 0], [2, 1]) },
  { name: "spatial NHWC", inputs: [{ shape: [1, 2, 3, 2] }], run: ([x]) => pad(x, [0, 1, 2, 0], [0, 1, 0, 0]) },
]);
