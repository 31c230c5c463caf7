/**
 * `BatchNorm` layer over the last (channel) axis: serves as BatchNorm2d on NHWC maps and BatchNorm1d on [N, C].
 * PyTorch semantics: momentum 0.1 weights the new batch, eps 1e-5, unbiased running variance. Gamma and beta
 * take no weight decay; `frozenGamma` fixes gamma at 1 (arcface_torch's embedding BN); `affine: false` uses constant 1/0.
 * @module
 */
import { keep } from "../core/scope.ts";
import type { Tensor } from "../core/tensor.ts";
import { add, affine, batchNorm, div, fill, mul, neg, ones, sqrt, sub, zeros } from "../ops/mod.ts";
import { Layer, type ModuleContext } from "./module.ts";

/** Options of {@link BatchNorm}. */
export interface BatchNormOptions {
  /** channels (last axis) */
  channels: number;
  /** variance epsilon (default 1e-5) */
  eps?: number;
  /** running-statistics momentum, PyTorch convention (default 0.1) */
  momentum?: number;
  /** learnable gamma and beta (default true) */
  affine?: boolean;
  /** initial gamma (default 1; 0 zero-initialises a residual branch's last BN) */
  gamma?: number;
  /** keep gamma at its initial value and out of the trainable parameters (default false) */
  frozenGamma?: boolean;
}

/** Batch normalisation with running statistics. */
export class BatchNorm extends Layer {
  /** scale [C] */
  readonly gamma: Tensor;
  /** shift [C] */
  readonly beta: Tensor;
  /** running mean [C] (buffer) */
  readonly runningMean: Tensor;
  /** running variance [C] (buffer) */
  readonly runningVar: Tensor;
  readonly #eps: number;
  readonly #momentum: number;
  #constants: Tensor[] = [];

  /** Creates the layer with gamma 1 (or `gamma`), beta 0, running mean 0, running variance 1. */
  constructor(ctx: ModuleContext, options: BatchNormOptions) {
    super();
    const c = options.channels;
    this.#eps = options.eps ?? 1e-5;
    this.#momentum = options.momentum ?? 0.1;
    if (options.affine ?? true) {
      this.gamma = this.addParameter("weight", fill(ctx.backend, [c], options.gamma ?? 1), {
        decay: false,
        trainable: !options.frozenGamma,
      });
      this.beta = this.addParameter("bias", zeros(ctx.backend, [c]), { decay: false });
    } else {
      this.gamma = keep(ones(ctx.backend, [c]));
      this.beta = keep(zeros(ctx.backend, [c]));
      this.#constants = [this.gamma, this.beta];
    }
    this.runningMean = this.addBuffer("running_mean", zeros(ctx.backend, [c]));
    this.runningVar = this.addBuffer("running_var", ones(ctx.backend, [c]));
  }

  /** Normalises `x` [..., C]: batch statistics in training mode, running statistics in eval mode. */
  forward(x: Tensor): Tensor {
    return batchNorm(x, this.gamma, this.beta, this.runningMean, this.runningVar, {
      training: this.training,
      momentum: this.#momentum,
      eps: this.#eps,
    });
  }

  /**
   * The per-channel affine y = x·scale + shift that this layer applies in eval mode, with the `bias` of a
   * preceding layer folded in: scale = gamma / √(runningVar + eps), shift = beta + (bias − runningMean) · scale.
   */
  inferenceAffine(bias?: Tensor | null): { scale: Tensor; shift: Tensor } {
    const scale = div(this.gamma, sqrt(affine(this.runningVar, 1, this.#eps)));
    const centred = bias ? sub(bias, this.runningMean) : neg(this.runningMean);
    return { scale, shift: add(this.beta, mul(centred, scale)) };
  }

  /** Frees the state and, without affine parameters, the constant gamma/beta. */
  override dispose(): void {
    super.dispose();
    for (const t of this.#constants) t.dispose();
  }
}
