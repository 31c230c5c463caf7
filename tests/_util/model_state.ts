/**
 * Test helper: random values for a model's per-channel state, so that eval-mode paths (BatchNorm running
 * statistics, folded affines) differ from their identity defaults.
 * @module
 */
import type { Backend } from "../../src/core/backend.ts";
import type { Rng } from "../../src/core/rng.ts";
import type { Tensor } from "../../src/core/tensor.ts";
import type { Module } from "../../src/nn/mod.ts";
import { tensor } from "../../src/ops/mod.ts";

/** Sets every 1-D state tensor (BN statistics and affine, PReLU slopes, biases) to random values. */
export function randomizeVectors(model: Module, backend: Backend, rng: Rng): void {
  const state = new Map<string, Tensor>();
  for (const [path, t] of model.state()) {
    if (t.rank !== 1) continue;
    const [lo, hi] = path.endsWith("running_var") ? [0.5, 2] : path.endsWith("weight") ? [0.2, 1.2] : [-0.5, 0.5];
    state.set(path, tensor(backend, Float32Array.from({ length: t.size }, () => rng.uniform(lo, hi)), t.shape));
  }
  model.load(state, { strict: false });
  for (const t of state.values()) t.dispose();
}
