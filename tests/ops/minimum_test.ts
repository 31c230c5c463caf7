import { minimum } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("minimum", [
  { name: "same shape", inputs: [{ shape: [3, 4] }, { shape: [3, 4] }], run: ([a, b]) => minimum(a, b) },
  { name: "broadcast row", inputs: [{ shape: [2, 3, 4] }, { shape: [4] }], run: ([a, b]) => minimum(a, b) },
  { name: "broadcast both", inputs: [{ shape: [3, 1] }, { shape: [1, 5] }], run: ([a, b]) => minimum(a, b) },
  { name: "scalar", inputs: [{ shape: [2, 3] }, { shape: [] }], run: ([a, b]) => minimum(a, b) },
]);
