import { matmul } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("matmul", [
  { name: "plain", inputs: [{ shape: [3, 5] }, { shape: [5, 4] }], run: ([a, b]) => matmul(a, b) },
  { name: "transpose A", inputs: [{ shape: [5, 3] }, { shape: [5, 4] }], run: ([a, b]) => matmul(a, b, true, false) },
  { name: "transpose B", inputs: [{ shape: [3, 5] }, { shape: [4, 5] }], run: ([a, b]) => matmul(a, b, false, true) },
  { name: "transpose both", inputs: [{ shape: [5, 3] }, { shape: [4, 5] }], run: ([a, b]) => matmul(a, b, true, true) },
  { name: "odd sizes 7x9x11", inputs: [{ shape: [7, 9] }, { shape: [9, 11] }], run: ([a, b]) => matmul(a, b) },
]);

// Outputs only: a finite-difference check of 24,000 weights would take half a minute, and the gradients of a matmul
// are matmuls of the cases above.
testOp("matmul", [
  // Few rows and many columns: on the wasm backend at 2 threads the row block is cut into 8 column parts of 80
  // columns, one of them across the 512-column panel boundary and the last one partial.
  {
    name: "5 rows x 600 columns, GEMM column parts",
    inputs: [{ shape: [5, 40] }, { shape: [40, 600] }],
    run: ([a, b]) => matmul(a, b),
  },
], { gradient: false });
