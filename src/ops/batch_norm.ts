/**
 * `batch_norm`: batch normalisation over every axis but the last (channels), for NHWC maps and [N, C] vectors.
 * Training uses batch statistics and updates the running statistics in place (PyTorch: momentum 0.1 weights the
 * new batch, running variance is unbiased); inference uses the running statistics.
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { KernelAttrs } from "../core/kernels.ts";
import type { Tensor } from "../core/tensor.ts";
import { batchNormGrad } from "./batch_norm_grad.ts";
import { expectDType, expectInputCount, type OpSpec, type OutputSpec, runOp } from "./op.ts";

const ARGS = ["x", "gamma", "beta", "runningMean", "runningVar"];

/**
 * The shape rule of `batch_norm` and of the ops built on it (`op` names the op in errors): the first five inputs are
 * x, gamma, beta, runningMean, runningVar; outputs y, the mean and the inverse std used.
 */
export function batchNormOutputs(
  op: string,
  inputs: readonly Tensor[],
  attrs: KernelAttrs["batch_norm"],
): OutputSpec[] {
  inputs.slice(0, 5).forEach((t, i) => expectDType(op, ARGS[i], t, "f32"));
  const x = inputs[0];
  if (x.rank < 2) {
    throw new ShapeError(op, "x", `expected rank ≥ 2 ([..., C]), got ${formatShape(x.shape)}`);
  }
  const c = x.shape[x.rank - 1];
  for (let i = 1; i < 5; i++) {
    if (inputs[i].rank !== 1 || inputs[i].shape[0] !== c) {
      throw new ShapeError(op, ARGS[i], `expected shape [${c}], got ${formatShape(inputs[i].shape)}`);
    }
  }
  if (attrs.training && x.size / c < 2) {
    throw new ShapeError(op, "x", `needs more than 1 value per channel in training, got ${formatShape(x.shape)}`);
  }
  return [{ shape: x.shape, dtype: "f32" }, { shape: [c], dtype: "f32" }, { shape: [c], dtype: "f32" }];
}

/** Shape rule and gradient of `batch_norm`; outputs y, the mean and the inverse std used. */
export const batchNormSpec: OpSpec<"batch_norm"> = {
  name: "batch_norm",
  outputs(inputs, attrs) {
    expectInputCount("batch_norm", inputs, 5);
    return batchNormOutputs("batch_norm", inputs, attrs);
  },
  grad: ({ inputs: [x, gamma], outputs: [, mean, invStd], grads: [dy], attrs }) => {
    if (!dy) return [null, null, null, null, null];
    const [dx, dgamma, dbeta] = batchNormGrad(dy, x, gamma, mean, invStd, attrs.training);
    return [dx, dgamma, dbeta, null, null];
  },
  writes: (attrs) => attrs.training ? [3, 4] : [],
};

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** batch statistics + running-stat update (true) or running statistics (false) */
  training: boolean;
  /** running-stat momentum, PyTorch convention (default 0.1) */
  momentum?: number;
  /** variance epsilon (default 1e-5) */
  eps?: number;
}

/** Normalises `x` per channel; returns y. Running statistics are updated in place when training. */
export function batchNorm(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
  options: BatchNormOptions,
): Tensor {
  return runOp(batchNormSpec, [x, gamma, beta, runningMean, runningVar], batchNormAttrs(options))[0];
}

/** The kernel attributes of `options`, defaults filled in. */
export function batchNormAttrs(options: BatchNormOptions): KernelAttrs["batch_norm"] {
  return { training: options.training, momentum: options.momentum ?? 0.1, eps: options.eps ?? 1e-5 };
}
