/**
 * Helpers shared by the benchmark files: seeded random input tensors, the median of timings and interleaved rounds
 * of timed variants.
 * @module
 */
import type { Backend } from "../src/core/backend.ts";
import type { Rng } from "../src/core/rng.ts";
import { scope } from "../src/core/scope.ts";
import { noGrad } from "../src/core/tape.ts";
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

/** One variant: a label and a function that runs it once (its outputs freed). */
export interface Variant {
  label: string;
  run: () => void;
}

/** A variant's run: `fn` without gradient recording, in a scope that frees what it made. */
export function once(fn: () => Tensor): () => void {
  return () => noGrad(() => scope(() => void fn()));
}

/** Median milliseconds per variant: rounds alternate the variants, in reversed order every other round. */
export function interleave(variants: Variant[], rounds: number, warmMs: number, timed: number): number[] {
  for (const v of variants) v.run();
  const times: number[][] = variants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = variants.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) {
      for (const start = performance.now(); performance.now() - start < warmMs;) variants[i].run();
      for (let k = 0; k < timed; k++) {
        const start = performance.now();
        variants[i].run();
        times[i].push(performance.now() - start);
      }
    }
  }
  return times.map(median);
}
