import { matmul } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("matmul", [
  { name: "plain", inputs: [{ shape: [3, 5] }, { shape: [5, 4] }], run: ([a, b]) => matmul(a, b) },
  { name: "transpose A", inputs: [{ shape: [5, 3] }, { shape: [5, 4] }], run: ([a, b]) => matmul(a, b, true, false) },
  { name: "transpose B", inputs: [{ shape: [3, 5] }, { shape: [4, 5] }], run: ([a, b]) => matmul(a, b, false, true) },
  { name: "transpose both", inputs: [{ shape: [5, 3] }, { shape: [4, 5] }], run: ([a, b]) => matmul(a, b, true, true) },
  { name: "odd sizes 7x9x11", inputs: [{ shape: [7, 9] }, { shape: [9, 11] }], run: ([a, b]) => matmul(a, b) },
]);
