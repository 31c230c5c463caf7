import { preluGrad } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: checked through prelu's gradient check and here for backend parity.
testOp("prelu_grad", [
  {
    name: "NHWC",
    inputs: [{ shape: [2, 3, 3, 4] }, { shape: [2, 3, 3, 4] }, { shape: [4], range: [0, 0.5] }],
    run: ([dy, x, a]) => preluGrad(dy, x, a),
  },
], { gradient: false });
