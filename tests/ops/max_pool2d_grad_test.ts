import { maxPool2dGrad, maxPool2dWithArgmax, poolAttrs } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: checked through max_pool2d's gradient check and here for backend parity. The input has
// repeated values so that overlapping windows share winners and their gradients add up.
const options = { kernel: 3, stride: 2, padding: 1 };
testOp("max_pool2d_grad", [
  {
    name: "overlapping 3x3 stride 2, shared winners",
    inputs: [
      { shape: [1, 3, 3, 2] },
      { shape: [1, 5, 5, 2], values: Array.from({ length: 50 }, (_, i) => (i * 7) % 5), grad: false },
    ],
    run: ([dy, x]) => {
      const [, argmax] = maxPool2dWithArgmax(x, options);
      return maxPool2dGrad(dy, argmax, x.shape, poolAttrs(options));
    },
  },
], { gradient: false });
