import { broadcastTo } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("broadcast_to", [
  { name: "row to matrix", inputs: [{ shape: [4] }], run: ([x]) => broadcastTo(x, [3, 4]) },
  { name: "middle axis", inputs: [{ shape: [2, 1, 3] }], run: ([x]) => broadcastTo(x, [2, 4, 3]) },
  { name: "scalar", inputs: [{ shape: [] }], run: ([x]) => broadcastTo(x, [2, 2]) },
]);
