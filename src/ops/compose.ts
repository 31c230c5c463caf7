/**
 * Composite ops: built from other ops, so they need no kernel and get their gradients for free.
 * @module
 */
import type { Rng } from "../core/rng.ts";
import type { Tensor } from "../core/tensor.ts";
import { normalizeAxes } from "./_axes.ts";
import { add } from "./add.ts";
import { affine } from "./affine.ts";
import { ones } from "./create.ts";
import { dropout } from "./dropout.ts";
import { matmul } from "./matmul.ts";
import { mul } from "./mul.ts";
import { reduceSum } from "./reduce_sum.ts";
import { reshape } from "./reshape.ts";

/** Mean over `axes` (default: all). */
export function reduceMean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const list = normalizeAxes("reduce_mean", axes, x.rank);
  const count = list.reduce((n, a) => n * x.shape[a], 1);
  return affine(reduceSum(x, list, keepDims), 1 / count, 0);
}

/** x · s for a constant s. */
export function scale(x: Tensor, s: number): Tensor {
  return affine(x, s, 0);
}

/** Fully connected layer: x [N, in] · wᵀ where w is [out, in] (PyTorch layout), plus an optional bias [out]. */
export function linear(x: Tensor, w: Tensor, bias?: Tensor): Tensor {
  const y = matmul(x, w, false, true);
  return bias ? add(y, bias) : y;
}

/**
 * Drop-path (stochastic depth, Huang et al. 2016; FaceX-Zoo's EfficientNet `drop_connect`, timm's `DropPath` in
 * arcface_torch's ViT): each sample (first axis) of a residual branch is zeroed with probability `p` and the
 * survivors scaled by 1/(1 − p). The per-sample mask [N, 1, …, 1] comes from the `dropout` op, so it is drawn from
 * `rng`'s Threefry blocks and identical on every backend.
 */
export function dropPath(branch: Tensor, p: number, rng: Rng): Tensor {
  const maskShape = branch.shape.map((n, axis) => axis === 0 ? n : 1);
  return mul(branch, dropout(ones(branch.backend, maskShape), p, rng));
}

/** Flattens every axis after the first: [N, ...] → [N, rest]. */
export function flatten(x: Tensor): Tensor {
  return reshape(x, [x.shape[0], x.size / Math.max(x.shape[0], 1)]);
}
