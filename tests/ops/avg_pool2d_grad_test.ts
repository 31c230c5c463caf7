import { avgPool2dGrad, poolAttrs } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: checked through avg_pool2d's gradient check and here for backend parity.
testOp("avg_pool2d_grad", [
  {
    name: "3x3 stride 2 ceil mode",
    inputs: [{ shape: [1, 4, 3, 2] }],
    run: ([dy]) =>
      avgPool2dGrad(dy, [1, 6, 5, 2], {
        ...poolAttrs({ kernel: 3, stride: 2, padding: 1, ceilMode: true }),
        countIncludePad: true,
      }),
  },
], { gradient: false });
