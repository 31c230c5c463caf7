/**
 * `LayerNorm` layer over the last axis, as PyTorch's `nn.LayerNorm(D)`: learned scale (`weight`, initialised to 1)
 * and shift (`bias`, 0), eps 1e-5 (the default arcface_torch's ViT and FaceX-Zoo's Swin keep). Neither parameter
 * takes weight decay, like BatchNorm's.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { fill, layerNorm, zeros } from "../ops/mod.ts";
import { Layer, type ModuleContext } from "./module.ts";

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** width of the normalised last axis */
  features: number;
  /** variance epsilon (default 1e-5) */
  eps?: number;
}

/** Layer normalisation with a learned per-feature scale and shift; the same in training and eval mode. */
export class LayerNorm extends Layer {
  /** scale [D] */
  readonly gamma: Tensor;
  /** shift [D] */
  readonly beta: Tensor;
  readonly #eps: number;

  /** Creates the layer with gamma 1 and beta 0. */
  constructor(ctx: ModuleContext, options: LayerNormOptions) {
    super();
    this.#eps = options.eps ?? 1e-5;
    this.gamma = this.addParameter("weight", fill(ctx.backend, [options.features], 1), { decay: false });
    this.beta = this.addParameter("bias", zeros(ctx.backend, [options.features]), { decay: false });
  }

  /** Normalises every row of `x` [..., D]. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.gamma, this.beta, { eps: this.#eps });
  }
}
