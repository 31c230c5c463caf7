import { maxPool2d } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

testOp("max_pool2d", [
  { name: "2x2 stride 2", inputs: [{ shape: [2, 4, 4, 3] }], run: ([x]) => maxPool2d(x, { kernel: 2 }) },
  {
    name: "3x3 stride 2 padding 1",
    inputs: [{ shape: [1, 7, 7, 2] }],
    run: ([x]) => maxPool2d(x, { kernel: 3, stride: 2, padding: 1 }),
  },
  {
    name: "3x3 stride 2 ceil mode, odd size",
    inputs: [{ shape: [1, 8, 7, 2] }],
    run: ([x]) => maxPool2d(x, { kernel: 3, stride: 2, ceilMode: true }),
  },
]);
