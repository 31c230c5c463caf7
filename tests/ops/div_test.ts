import { div } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("div", [
  { name: "same shape", inputs: [{ shape: [3, 4] }, { shape: [3, 4], range: [0.5, 2] }], run: ([a, b]) => div(a, b) },
  {
    name: "broadcast row",
    inputs: [{ shape: [2, 3, 4] }, { shape: [4], range: [0.5, 2] }],
    run: ([a, b]) => div(a, b),
  },
  {
    name: "broadcast both",
    inputs: [{ shape: [3, 1] }, { shape: [1, 5], range: [0.5, 2] }],
    run: ([a, b]) => div(a, b),
  },
  { name: "scalar", inputs: [{ shape: [2, 3] }, { shape: [], range: [0.5, 2] }], run: ([a, b]) => div(a, b) },
]);
