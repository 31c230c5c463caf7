/**
 * Helpers shared by the benchmark files: seeded random input tensors and the median of timings.
 * @module
 */
import type { Backend } from "../src/core/backend.ts";
import type { Rng } from "../src/core/rng.ts";
import type { Tensor } from "../src/core/tensor.ts";
import { tensor } from "../src/ops/mod.ts";

/** An f32 tensor of `shape` on `backend` with values drawn from U[lo, hi) by `rng`. */
export function randomTensor(rng: Rng, backend: Backend, shape: number[], lo = -1, hi = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(backend, Float32Array.from({ length: size }, () => rng.uniform(lo, hi)), shape);
}

/** The median of `values` (the upper one of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
