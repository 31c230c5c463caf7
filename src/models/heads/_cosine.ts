/**
 * Shared pieces of the normalised heads: the class-weight matrix [C, D] and its inits, the cosine matrix between
 * L2-normalised embeddings and L2-normalised class weights, target-column helpers, and the additive angular margin
 * cos(θ + m) with and without face.evoLVe's fallback.
 * @module
 */
import type { Tensor } from "../../core/tensor.ts";
import { initTensor, initValues } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import {
  add,
  affine,
  clamp,
  gatherRowElements,
  l2NormalizeSpec,
  matmul,
  mul,
  reshape,
  runOp,
  scatterRowElements,
  sqrt,
  sub,
  tensor,
  zeros,
} from "../../ops/mod.ts";

/** Xavier-uniform class weights [C, D] of a normalised head (face.evoLVe's init for ArcFace/CosFace/SphereFace). */
export function classWeights(ctx: ModuleContext, o: { numClasses: number; embeddingSize: number }): Tensor {
  const fans = { fanIn: o.embeddingSize, fanOut: o.numClasses };
  return initTensor(ctx, [o.numClasses, o.embeddingSize], { kind: "xavierUniform" }, fans);
}

/**
 * FaceX-Zoo's class weights for AM/MV/NPC heads: U(−1, 1) then unit-norm columns of its (dim, classes) kernel,
 * i.e. unit-norm rows of our [C, D] layout.
 */
export function unitRowClassWeights(ctx: ModuleContext, o: { numClasses: number; embeddingSize: number }): Tensor {
  const [rows, cols] = [o.numClasses, o.embeddingSize];
  if (ctx.initialize === false) return zeros(ctx.backend, [rows, cols]);
  const values = initValues(ctx.rng, { kind: "torchDefault" }, rows * cols, { fanIn: 1, fanOut: 1 });
  for (let r = 0; r < rows; r++) {
    const row = values.subarray(r * cols, (r + 1) * cols);
    const norm = Math.hypot(...row);
    for (let k = 0; k < cols; k++) row[k] /= norm;
  }
  return tensor(ctx.backend, values, [rows, cols]);
}

/** Cosines [N, C] of `x` [N, D] with the rows of `weight` [C, D], and the embedding norms [N]. */
export function cosines(x: Tensor, weight: Tensor): { cos: Tensor; norm: Tensor } {
  const [xHat, norm] = runOp(l2NormalizeSpec, [x], { eps: 1e-12 });
  const [wHat] = runOp(l2NormalizeSpec, [weight], { eps: 1e-12 });
  return { cos: matmul(xHat, wHat, false, true), norm };
}

/** The target column of each row: `m[n, labels[n]]` → [N]. */
export function targetColumn(m: Tensor, labels: Tensor): Tensor {
  return gatherRowElements(m, labels);
}

/** `m` with each row's target entry replaced: `m[n, labels[n]] ← value[n]`, other entries untouched. */
export function replaceTarget(m: Tensor, labels: Tensor, old: Tensor, value: Tensor): Tensor {
  return add(m, scatterRowElements(sub(value, old), labels, m.shape[1]));
}

/** `v` [N] as a column [N, 1], to broadcast a per-row value over the classes. */
export function column(v: Tensor): Tensor {
  return reshape(v, [v.size, 1]);
}

/** Distance kept from ±1 when clamping a cosine before `acos` or √(1 − c²). */
export const COS_EPS = 1e-7;

/**
 * cos(θ + m) for cosines `c`, as c·cos m − √(1 − c²)·sin m with c clamped to [−1 + ε, 1 − ε] (no `acos`, whose
 * WGSL accuracy, amplified by s = 64, is too coarse; the clamp keeps the √ gradient finite at |c| = 1).
 */
export function cosPlusMargin(c: Tensor, m: number): Tensor {
  const safe = clamp(c, -1 + COS_EPS, 1 - COS_EPS);
  const sine = sqrt(affine(mul(safe, safe), -1, 1));
  return sub(affine(safe, Math.cos(m), 0), affine(sine, Math.sin(m), 0));
}
