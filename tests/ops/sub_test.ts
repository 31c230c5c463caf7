import { sub } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("sub", [
  { name: "same shape", inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], run: ([a, b]) => sub(a, b) },
  { name: "broadcast row", inputs: [{ shape: [2, 3, 4] }, { shape: [4] }], run: ([a, b]) => sub(a, b) },
  { name: "broadcast both", inputs: [{ shape: [3, 1] }, { shape: [1, 5] }], run: ([a, b]) => sub(a, b) },
  { name: "scalar", inputs: [{ shape: [2, 3] }, { shape: [] }], run: ([a, b]) => sub(a, b) },
]);
