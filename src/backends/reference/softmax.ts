/**
 * Reference kernels for the softmax family along the last axis.
 * @module
 */
import type { KernelAttrs } from "../../core/kernels.ts";
import { arr, type RefView } from "./storage.ts";

/** Max and log-sum-exp of one row. */
function rowStats(x: ArrayLike<number>, start: number, len: number): { max: number; lse: number } {
  let max = -Infinity;
  for (let j = 0; j < len; j++) max = Math.max(max, x[start + j]);
  let s = 0;
  for (let j = 0; j < len; j++) s += Math.exp(x[start + j] - max);
  return { max, lse: max + Math.log(s) };
}

/** Softmax (log = false) or log-softmax (log = true) of each last-axis row. */
export function softmaxRows(inputs: readonly RefView[], outputs: readonly RefView[], log: boolean) {
  const x = arr(inputs[0]);
  const y = arr(outputs[0]);
  const len = inputs[0].shape[inputs[0].shape.length - 1];
  for (let r = 0; r < x.length / len; r++) {
    const { lse } = rowStats(x, r * len, len);
    for (let j = 0; j < len; j++) y[r * len + j] = log ? x[r * len + j] - lse : Math.exp(x[r * len + j] - lse);
  }
}

function checkLabel(label: number, classes: number): void {
  if (!(label >= 0 && label < classes)) {
    throw new RangeError(
      `softmax_cross_entropy: argument "labels" holds ${label}, expected a class in [0, ${classes})`,
    );
  }
}

/** Fused softmax cross-entropy: per-sample loss and probabilities. */
export function softmaxCrossEntropyKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: KernelAttrs["softmax_cross_entropy"],
) {
  const [x, labels] = inputs.map(arr);
  const [loss, probs] = outputs.map(arr);
  const [n, c] = inputs[0].shape;
  const eps = attrs.smoothing;
  for (let r = 0; r < n; r++) {
    checkLabel(labels[r], c);
    const { lse } = rowStats(x, r * c, c);
    let sum = 0;
    for (let j = 0; j < c; j++) {
      sum += x[r * c + j];
      probs[r * c + j] = Math.exp(x[r * c + j] - lse);
    }
    loss[r] = lse - (1 - eps) * x[r * c + labels[r]] - (eps / c) * sum;
  }
}

/** Backward of the fused softmax cross-entropy. */
export function softmaxCrossEntropyGradKernel(
  inputs: readonly RefView[],
  outputs: readonly RefView[],
  attrs: KernelAttrs["softmax_cross_entropy_grad"],
) {
  const [dLoss, probs, labels] = inputs.map(arr);
  const dx = arr(outputs[0]);
  const [n, c] = inputs[1].shape;
  const eps = attrs.smoothing;
  for (let r = 0; r < n; r++) {
    checkLabel(labels[r], c);
    for (let j = 0; j < c; j++) {
      const target = (j === labels[r] ? 1 - eps : 0) + eps / c;
      dx[r * c + j] = dLoss[r] * (probs[r * c + j] - target);
    }
  }
}
