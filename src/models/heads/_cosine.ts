/**
 * Shared pieces of the normalised heads: the class-weight matrix [C, D] and the cosine matrix between
 * L2-normalised embeddings and L2-normalised class weights, plus target-column helpers.
 * @module
 */
import type { Tensor } from "../../core/tensor.ts";
import { initTensor } from "../../nn/init.ts";
import type { ModuleContext } from "../../nn/module.ts";
import { add, gatherRowElements, l2NormalizeSpec, matmul, runOp, scatterRowElements, sub } from "../../ops/mod.ts";

/** Xavier-uniform class weights [C, D] of a normalised head (face.evoLVe's init for ArcFace/CosFace/SphereFace). */
export function classWeights(ctx: ModuleContext, o: { numClasses: number; embeddingSize: number }): Tensor {
  const fans = { fanIn: o.embeddingSize, fanOut: o.numClasses };
  return initTensor(ctx, [o.numClasses, o.embeddingSize], { kind: "xavierUniform" }, fans);
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
