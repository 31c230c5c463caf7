/**
 * `MultiHeadSelfAttention` layer over token sequences [N, T, D], as arcface_torch's ViT `Attention`
 * (`backbones/vit.py`, after Vaswani et al. 2017 / Dosovitskiy et al. 2021): one qkv projection (no bias by default),
 * per head softmax(q·kᵀ · head_dim^−½)·v with the heads folded into the batch axis of `batched_matmul`, then an
 * output projection with bias. Attention and projection dropout are left out (arcface_torch keeps both at 0).
 * @module
 */
import { formatShape } from "../core/shape.ts";
import type { Tensor } from "../core/tensor.ts";
import { add, batchedMatmul, linear, reshape, scale, slice, softmax, transpose } from "../ops/mod.ts";
import type { InitScheme } from "./init.ts";
import { Linear } from "./linear.ts";
import { Layer, type ModuleContext } from "./module.ts";

/** Options of {@link MultiHeadSelfAttention}. */
export interface AttentionOptions {
  /** token width D (a multiple of `heads`) */
  dim: number;
  /** number of heads */
  heads: number;
  /** bias on the qkv projection (default false, as arcface_torch's ViT) */
  qkvBias?: boolean;
  /** weight init of both projections (default PyTorch's) */
  init?: InitScheme;
  /** bias init of both projections (default PyTorch's) */
  biasInit?: InitScheme;
}

/** Multi-head self-attention: x [N, T, D] → [N, T, D]; the same in training and eval mode. */
export class MultiHeadSelfAttention extends Layer {
  /** number of heads */
  readonly heads: number;
  readonly #qkv: Linear;
  readonly #proj: Linear;

  /** Creates the qkv projection `qkv` [3D, D] and the output projection `proj` [D, D] + bias. */
  constructor(ctx: ModuleContext, o: AttentionOptions) {
    super();
    if (o.dim % o.heads !== 0) {
      throw new RangeError(`MultiHeadSelfAttention: dim ${o.dim} is not a multiple of ${o.heads} heads`);
    }
    this.heads = o.heads;
    const inits = { init: o.init, biasInit: o.biasInit };
    this.#qkv = this.addChild(
      "qkv",
      new Linear(ctx, { inFeatures: o.dim, outFeatures: 3 * o.dim, bias: o.qkvBias ?? false, ...inits }),
    );
    this.#proj = this.addChild("proj", new Linear(ctx, { inFeatures: o.dim, outFeatures: o.dim, ...inits }));
  }

  /** Attends every token of each sample to every token of the same sample. */
  forward(x: Tensor): Tensor {
    return multiHeadSelfAttention(x, this.heads, {
      qkvWeight: this.#qkv.weight,
      qkvBias: this.#qkv.bias ?? undefined,
      projWeight: this.#proj.weight,
      projBias: this.#proj.bias ?? undefined,
    });
  }
}

/** The projection weights of {@link multiHeadSelfAttention} (PyTorch layout [out, in]). */
export interface AttentionWeights {
  /** [3D, D]: rows 0..D−1 make q, D..2D−1 k, 2D..3D−1 v, each head taking hd consecutive rows */
  qkvWeight: Tensor;
  /** [3D], optional */
  qkvBias?: Tensor;
  /** [D, D] */
  projWeight: Tensor;
  /** [D], optional */
  projBias?: Tensor;
}

/**
 * Multi-head self-attention of x [N, T, D] with `heads` heads of width D / heads, from explicit weights.
 * `logitBias` [G, H, T, T] (G dividing N) is added to the scaled logits before the softmax, sequence n taking entry
 * n mod G: Swin's relative position bias (G = 1) plus its shifted-window mask (G = windows per image).
 */
export function multiHeadSelfAttention(x: Tensor, heads: number, w: AttentionWeights, logitBias?: Tensor): Tensor {
  const [n, t, d] = x.shape;
  const hd = d / heads;
  // [N·T, 3D] → [N, T, 3, H, hd] → [3, N, H, T, hd]: q, k and v as [N·H, T, hd] each
  const projected = reshape(linear(reshape(x, [n * t, d]), w.qkvWeight, w.qkvBias), [n, t, 3, heads, hd]);
  const qkv = transpose(projected, [2, 0, 3, 1, 4]);
  const [q, k, v] = [0, 1, 2].map((i) =>
    reshape(slice(qkv, [i, 0, 0, 0, 0], [1, n, heads, t, hd]), [n * heads, t, hd])
  );
  const logits = scale(batchedMatmul(q, k, false, true), hd ** -0.5);
  const attention = softmax(logitBias ? addLogitBias(logits, logitBias, n, heads) : logits);
  // [N·H, T, hd] → [N, T, H, hd] → [N·T, D]
  const mixed = transpose(reshape(batchedMatmul(attention, v), [n, heads, t, hd]), [0, 2, 1, 3]);
  return reshape(linear(reshape(mixed, [n * t, d]), w.projWeight, w.projBias), [n, t, d]);
}

/** Adds `bias` [G, H, T, T] to `logits` [N·H, T, T], sequence n taking entry n mod G. */
function addLogitBias(logits: Tensor, bias: Tensor, n: number, heads: number): Tensor {
  const [g, h, t] = bias.shape;
  if (h !== heads || n % g !== 0 || bias.shape[3] !== t || logits.shape[1] !== t) {
    throw new RangeError(
      `multiHeadSelfAttention: logit bias ${formatShape(bias.shape)} does not fit ${n} sequences of ${heads} heads`,
    );
  }
  return reshape(add(reshape(logits, [n / g, g, heads, t, t]), bias), [n * heads, t, t]);
}
