import { reshape } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("reshape", [
  { name: "flatten with -1", inputs: [{ shape: [2, 3, 4] }], run: ([x]) => reshape(x, [2, -1]) },
  { name: "add axes", inputs: [{ shape: [6] }], run: ([x]) => reshape(x, [1, 2, 1, 3]) },
]);
