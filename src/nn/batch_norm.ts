/**
 * `BatchNorm` layer over the last (channel) axis: serves as BatchNorm2d on NHWC maps and BatchNorm1d on [N, C].
 * PyTorch semantics: momentum 0.1 weights the new batch, eps 1e-5, unbiased running variance. Gamma and beta
 * take no weight decay; `frozenGamma` fixes gamma at 1 (arcface_torch's embedding BN); `affine: false` uses constant 1/0.
 * The eval-mode fold into a per-channel scale and shift is cached until a tensor it was computed from is written.
 * @module
 */
import { keep, scope } from "../core/scope.ts";
import { isGradEnabled, noGrad } from "../core/tape.ts";
import type { Tensor } from "../core/tensor.ts";
import {
  add,
  affine,
  batchNorm,
  type BatchNormOptions as BatchNormOpOptions,
  batchNormPrelu,
  div,
  fill,
  mul,
  neg,
  ones,
  sqrt,
  sub,
  zeros,
} from "../ops/mod.ts";
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

/** An eval-mode fold kept for reuse: the bias folded in and the write versions of every tensor it was computed from. */
interface CachedAffine {
  bias: Tensor | null;
  versions: number[];
  scale: Tensor;
  shift: Tensor;
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
  #cached: CachedAffine | null = null;

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
    return batchNorm(x, this.gamma, this.beta, this.runningMean, this.runningVar, this.#options());
  }

  /**
   * PReLU with per-channel slopes `alpha` of {@link BatchNorm.forward}'s output, as one `batch_norm_prelu` op: the
   * same values, gradients and running-statistic updates as the two layers in turn, without keeping the normalised map.
   */
  forwardPrelu(x: Tensor, alpha: Tensor): Tensor {
    return batchNormPrelu(x, this.gamma, this.beta, this.runningMean, this.runningVar, alpha, this.#options());
  }

  /**
   * The per-channel affine y = x·scale + shift that this layer applies in eval mode, with the `bias` of a
   * preceding layer folded in: scale = gamma / √(runningVar + eps), shift = beta + (bias − runningMean) · scale.
   *
   * The result is cached: while the same `bias` is passed and none of gamma, beta, the running statistics and
   * `bias` has been written since (their {@link Tensor.version}s), the same two tensors are returned. They belong to
   * the layer: callers must not dispose them, and they stay valid until the layer folds again or is disposed. When
   * the tape records through a source that requires a gradient (fine-tuning with frozen statistics), the fold is
   * computed afresh on the tape instead, an ordinary intermediate of the caller's scope.
   */
  inferenceAffine(bias?: Tensor | null): { scale: Tensor; shift: Tensor } {
    const sources = [this.gamma, this.beta, this.runningMean, this.runningVar, ...(bias ? [bias] : [])];
    if (isGradEnabled() && sources.some((t) => t.requiresGrad)) return this.#fold(bias);
    const versions = sources.map((t) => t.version);
    const cached = this.#cached;
    if (cached?.bias === (bias ?? null) && cached.versions.every((v, i) => v === versions[i])) {
      return { scale: cached.scale, shift: cached.shift };
    }
    this.#dropCache();
    const { scale, shift } = noGrad(() => scope(() => this.#fold(bias)));
    this.#cached = { bias: bias ?? null, versions, scale: keep(scale), shift: keep(shift) };
    return { scale, shift };
  }

  /** Computes the fold of {@link BatchNorm.inferenceAffine} with ops. */
  #fold(bias?: Tensor | null): { scale: Tensor; shift: Tensor } {
    const scale = div(this.gamma, sqrt(affine(this.runningVar, 1, this.#eps)));
    const centred = bias ? sub(bias, this.runningMean) : neg(this.runningMean);
    return { scale, shift: add(this.beta, mul(centred, scale)) };
  }

  /** The options of the batch_norm ops this layer runs: its mode, momentum and eps. */
  #options(): BatchNormOpOptions {
    return { training: this.training, momentum: this.#momentum, eps: this.#eps };
  }

  /** Frees the cached fold, if any. */
  #dropCache(): void {
    this.#cached?.scale.dispose();
    this.#cached?.shift.dispose();
    this.#cached = null;
  }

  /** Frees the state, the cached eval-mode fold and, without affine parameters, the constant gamma/beta. */
  override dispose(): void {
    super.dispose();
    this.#dropCache();
    for (const t of this.#constants) t.dispose();
  }
}
