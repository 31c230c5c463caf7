/**
 * `layer_norm`: layer normalisation (Ba, Kiros & Hinton 2016) over the last axis with a learned scale and shift, as
 * PyTorch's `nn.LayerNorm(D)` (biased variance, eps 1e-5 by default, which arcface_torch's ViT and FaceX-Zoo's Swin
 * keep: `backbones/vit.py`, `backbone/Swin_Transformer.py`). Outputs y and, for the gradient, each row's mean and
 * inverse standard deviation.
 * @module
 */
import { formatShape, ShapeError } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { layerNormGrad } from "./layer_norm_grad.ts";
import { expectDType, expectInputCount, type OpSpec, runOp } from "./op.ts";

const ARGS = ["x", "gamma", "beta"];

/** Shape rule and gradient of `layer_norm`; outputs y, the mean [R] and the inverse std [R] of each row. */
export const layerNormSpec: OpSpec<"layer_norm"> = {
  name: "layer_norm",
  outputs(inputs) {
    expectInputCount("layer_norm", inputs, 3);
    inputs.forEach((t, i) => expectDType("layer_norm", ARGS[i], t, "f32"));
    const x = inputs[0];
    if (x.rank < 1 || x.size === 0) {
      throw new ShapeError("layer_norm", "x", `expected a non-empty tensor [..., D], got ${formatShape(x.shape)}`);
    }
    const d = x.shape[x.rank - 1];
    for (let i = 1; i < 3; i++) {
      if (inputs[i].rank !== 1 || inputs[i].shape[0] !== d) {
        throw new ShapeError("layer_norm", ARGS[i], `expected shape [${d}], got ${formatShape(inputs[i].shape)}`);
      }
    }
    const rows = x.size / d;
    return [{ shape: x.shape, dtype: "f32" }, { shape: [rows], dtype: "f32" }, { shape: [rows], dtype: "f32" }];
  },
  grad: ({ inputs: [x, gamma], outputs: [, mean, invStd], grads: [dy] }) => {
    if (!dy) return [null, null, null];
    return layerNormGrad(dy, x, gamma, mean, invStd);
  },
};

/** Normalises every row (last axis) of `x`, then scales by `gamma` and shifts by `beta`; returns y. */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, options: { eps?: number } = {}): Tensor {
  return runOp(layerNormSpec, [x, gamma, beta], { eps: options.eps ?? 1e-5 })[0];
}
