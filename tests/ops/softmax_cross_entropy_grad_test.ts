import { softmax, softmaxCrossEntropyGrad } from "../../src/ops/mod.ts";
import { testOp } from "../_util/op_case.ts";

// A backward kernel: checked through softmax_cross_entropy's gradient check and here for backend parity.
testOp("softmax_cross_entropy_grad", [
  {
    name: "smoothing 0.2",
    inputs: [{ shape: [3] }, { shape: [3, 6] }, { shape: [3], dtype: "i32", values: [5, 0, 2] }],
    run: ([dl, logits, y]) => softmaxCrossEntropyGrad(dl, softmax(logits), y, 0.2),
  },
], { gradient: false });
