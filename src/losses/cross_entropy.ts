/**
 * Cross-entropy over logits with integer labels and optional label smoothing ε (target (1−ε)·onehot + ε/C, the
 * PyTorch `CrossEntropyLoss(label_smoothing=ε)` convention), through the fused `softmax_cross_entropy` op.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { reduceMean, softmaxCrossEntropy } from "../ops/mod.ts";

/** Mean cross-entropy of `logits` [N, C] against `labels` i32 [N]. */
export function crossEntropy(logits: Tensor, labels: Tensor, smoothing = 0): Tensor {
  return reduceMean(softmaxCrossEntropy(logits, labels, smoothing));
}
