/**
 * `softmax_cross_entropy`: fused softmax + cross-entropy with integer labels and optional label smoothing;
 * returns the per-sample loss [N] (reduce it yourself), and the probabilities for the backward pass.
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { add } from "./add.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";
import { softmaxBackward } from "./softmax.ts";
import { softmaxCrossEntropyGrad } from "./softmax_cross_entropy_grad.ts";

/** Shape rule and gradient of `softmax_cross_entropy`; outputs loss [N] and probs [N, C]. */
export const softmaxCrossEntropySpec: OpSpec<"softmax_cross_entropy"> = {
  name: "softmax_cross_entropy",
  outputs(inputs, attrs) {
    expectInputCount("softmax_cross_entropy", inputs, 2);
    const [logits, labels] = inputs;
    expectDType("softmax_cross_entropy", "logits", logits, "f32");
    expectDType("softmax_cross_entropy", "labels", labels, "i32");
    if (logits.rank !== 2) {
      throw new ShapeError(
        "softmax_cross_entropy",
        "logits",
        `expected rank 2 ([N, C]), got ${formatShape(logits.shape)}`,
      );
    }
    if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
      throw new ShapeError(
        "softmax_cross_entropy",
        "labels",
        `expected shape [${logits.shape[0]}], got ${formatShape(labels.shape)}`,
      );
    }
    if (!(attrs.smoothing >= 0 && attrs.smoothing < 1)) {
      throw new ShapeError("softmax_cross_entropy", "smoothing", `expected a value in [0, 1), got ${attrs.smoothing}`);
    }
    return [{ shape: [logits.shape[0]], dtype: "f32" }, { shape: logits.shape, dtype: "f32" }];
  },
  grad: ({ inputs: [, labels], outputs: [, probs], grads: [dLoss, dProbs], attrs }) => {
    const fromLoss = dLoss && softmaxCrossEntropyGrad(dLoss, probs, labels, attrs.smoothing);
    const fromProbs = dProbs && softmaxBackward(probs, dProbs);
    const total = fromLoss && fromProbs ? add(fromLoss, fromProbs) : (fromLoss ?? fromProbs);
    return [total, null];
  },
};

/** Per-sample cross-entropy of softmax(logits) against integer labels, with label smoothing ε. */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, smoothing = 0): Tensor {
  return runOp(softmaxCrossEntropySpec, [logits, labels], { smoothing })[0];
}
