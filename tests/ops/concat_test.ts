import { concat } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("concat", [
  { name: "axis 0", inputs: [{ shape: [2, 3] }, { shape: [1, 3] }], run: (xs) => concat(xs, 0) },
  {
    name: "channels of NHWC",
    inputs: [{ shape: [1, 2, 2, 3] }, { shape: [1, 2, 2, 2] }, { shape: [1, 2, 2, 1] }],
    run: (xs) => concat(xs, -1),
  },
  { name: "middle axis", inputs: [{ shape: [2, 1, 3] }, { shape: [2, 4, 3] }], run: (xs) => concat(xs, 1) },
]);
