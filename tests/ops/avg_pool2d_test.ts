import { avgPool2d } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("avg_pool2d", [
  { name: "2x2 stride 2", inputs: [{ shape: [2, 4, 4, 3] }], run: ([x]) => avgPool2d(x, { kernel: 2 }) },
  {
    name: "3x3 padding 1 counting padding",
    inputs: [{ shape: [1, 5, 5, 2] }],
    run: ([x]) => avgPool2d(x, { kernel: 3, stride: 2, padding: 1 }),
  },
  {
    name: "3x3 padding 1 excluding padding, ceil mode",
    inputs: [{ shape: [1, 6, 5, 2] }],
    run: ([x]) => avgPool2d(x, { kernel: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
  },
]);
