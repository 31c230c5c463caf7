/**
 * `batch_norm_prelu`: `batch_norm` followed by `prelu` in one op, for training-mode BN → PReLU chains. The
 * normalised map z is not kept: the gradient recomputes it from x and the saved statistics, so the pair costs two
 * fewer passes over the activation in each direction and one activation of memory. On every backend its outputs and
 * gradients carry the same bits as the two ops run one after the other (the wasm kernels fuse the passes; the
 * reference and WebGPU backends run the two ops' kernels in turn).
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { batchNormAttrs, type BatchNormOptions, batchNormOutputs, batchNormSpec } from "./batch_norm.ts";
import { batchNormPreluGrad } from "./batch_norm_prelu_grad.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

/** Shape rule and gradient of `batch_norm_prelu`; outputs y, the mean and the inverse std used. */
export const batchNormPreluSpec: OpSpec<"batch_norm_prelu"> = {
  name: "batch_norm_prelu",
  outputs(inputs, attrs) {
    expectInputCount("batch_norm_prelu", inputs, 6);
    const alpha = inputs[5];
    expectDType("batch_norm_prelu", "alpha", alpha, "f32");
    const outputs = batchNormOutputs("batch_norm_prelu", inputs, attrs);
    const c = inputs[0].shape[inputs[0].rank - 1];
    if (alpha.rank !== 1 || alpha.shape[0] !== c) {
      throw new ShapeError("batch_norm_prelu", "alpha", `expected shape [${c}], got ${formatShape(alpha.shape)}`);
    }
    return outputs;
  },
  grad: ({ inputs: [x, gamma, beta, , , alpha], outputs: [, mean, invStd], grads: [dy], attrs }) => {
    if (!dy) return [null, null, null, null, null, null];
    const [dx, dgamma, dbeta, dalpha] = batchNormPreluGrad(dy, x, gamma, beta, mean, invStd, alpha, attrs.training);
    return [dx, dgamma, dbeta, null, null, dalpha];
  },
  writes: batchNormSpec.writes,
};

/**
 * PReLU (per-channel slopes `alpha`) of the batch normalisation of `x`; returns y. Running statistics are updated in
 * place when training, exactly as {@link batchNorm} does.
 */
export function batchNormPrelu(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
  alpha: Tensor,
  options: BatchNormOptions,
): Tensor {
  return runOp(batchNormPreluSpec, [x, gamma, beta, runningMean, runningVar, alpha], batchNormAttrs(options))[0];
}
