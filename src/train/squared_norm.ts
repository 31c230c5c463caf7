/**
 * Sum of squares over a list of tensors, computed with ops on their backend (one rank-0 result, summed in
 * list order so the value is deterministic).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { add, mul, reduceSum } from "../ops/mod.ts";

/** Σ x² over every element of every tensor (rank-0 f32); NaN/Inf when any element is. Needs ≥ 1 tensor. */
export function squaredNorm(tensors: readonly Tensor[]): Tensor {
  if (tensors.length === 0) throw new RangeError("squaredNorm: needs at least one tensor");
  let sum: Tensor | null = null;
  for (const t of tensors) {
    const s = reduceSum(mul(t, t));
    sum = sum ? add(sum, s) : s;
  }
  return sum!;
}
