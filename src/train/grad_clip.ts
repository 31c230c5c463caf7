/**
 * Gradient clipping by global L2 norm (PyTorch `clip_grad_norm_`: scale every gradient by
 * `min(1, maxNorm / (norm + 1e-6))`), computed with ops on the backend so no host round trip is needed.
 * The squared norms are summed in parameter order, so the result is deterministic.
 * @module
 */
import { keep, scope } from "../core/scope.ts";
import type { Tensor } from "../core/tensor.ts";
import { affine, div, fill, minimum, mul, sqrt } from "../ops/mod.ts";
import { squaredNorm } from "./squared_norm.ts";

/**
 * Clips the gradients of `params` (tensors without a gradient are ignored) in place and returns the global
 * norm before clipping as a rank-0 tensor (read it only when logging), or null when no parameter has a gradient.
 */
export function clipGradNorm(params: readonly { tensor: Tensor }[], maxNorm: number): Tensor | null {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  const withGrad = params.map((p) => p.tensor).filter((t) => t.grad !== null);
  if (withGrad.length === 0) return null;
  return scope(() => {
    const norm = sqrt(squaredNorm(withGrad.map((t) => t.grad!)));
    const backend = norm.backend;
    const coef = minimum(div(fill(backend, [], maxNorm, "f32"), affine(norm, 1, 1e-6)), fill(backend, [], 1, "f32"));
    for (const t of withGrad) {
      const old = t.grad!;
      t.grad = keep(mul(old, coef));
      old.dispose();
    }
    return norm;
  });
}
