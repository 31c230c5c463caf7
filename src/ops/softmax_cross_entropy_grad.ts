/**
 * `softmax_cross_entropy_grad`: dlogits = dloss · (probs − target), target = (1 − ε)·onehot + ε/C.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule of `softmax_cross_entropy_grad` (a backward kernel). */
export const softmaxCrossEntropyGradSpec: OpSpec<"softmax_cross_entropy_grad"> = {
  name: "softmax_cross_entropy_grad",
  outputs(inputs) {
    expectInputCount("softmax_cross_entropy_grad", inputs, 3);
    return [{ shape: inputs[1].shape, dtype: "f32" }];
  },
};

/** Gradient of the fused softmax cross-entropy with respect to the logits. */
export function softmaxCrossEntropyGrad(dLoss: Tensor, probs: Tensor, labels: Tensor, smoothing: number): Tensor {
  return runOp(softmaxCrossEntropyGradSpec, [dLoss, probs, labels], { smoothing })[0];
}
