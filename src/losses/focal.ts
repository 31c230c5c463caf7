/**
 * Focal loss (Lin et al.) on top of any softmax-like head's logits, γ = 2 by default.
 *
 * - `"sample"` (default): the textbook form, mean over the batch of (1 − p_i)^γ · CE_i with p_i = exp(−CE_i).
 * - `"batch"`: face.evoLVe's `loss/focal.py`, which takes the batch-mean CE value L first and returns
 *   (1 − exp(−L))^γ · L — one focal factor for the whole batch. Kept for reproducing face.evoLVe runs.
 * Gradients flow through the focal factor as well (both libraries use autograd on the whole expression).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { affine, exp, mul, neg, pow, reduceMean, softmaxCrossEntropy } from "../ops/mod.ts";

/** How the focal factor is computed. */
export type FocalMode = "sample" | "batch";

/** (1 − exp(−ce))^γ · ce, element-wise. */
function focalTerm(ce: Tensor, gamma: number): Tensor {
  return mul(pow(affine(exp(neg(ce)), -1, 1), gamma), ce);
}

/** Focal loss of `logits` [N, C] against `labels` i32 [N] (a scalar). */
export function focalLoss(logits: Tensor, labels: Tensor, gamma = 2, mode: FocalMode = "sample"): Tensor {
  const ce = softmaxCrossEntropy(logits, labels);
  return mode === "sample" ? reduceMean(focalTerm(ce, gamma)) : focalTerm(reduceMean(ce), gamma);
}
