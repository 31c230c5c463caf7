/**
 * The divergence guard: training stops with a {@link DivergenceError} as soon as the loss or a parameter is NaN
 * or infinite, so the trainer can keep its last good checkpoint instead of writing a poisoned one.
 * @module
 */
import { scope } from "../core/scope.ts";
import type { ParameterEntry } from "./optimizer.ts";
import { squaredNorm } from "./squared_norm.ts";

/** Training diverged at `step`; the message names what became non-finite. */
export class DivergenceError extends Error {
  /** Creates the error for iteration `step`. */
  constructor(readonly step: number, detail: string) {
    super(`training diverged at step ${step}: ${detail}`);
    this.name = "DivergenceError";
  }
}

/** Throws when the loss value is NaN or ±Infinity. */
export function assertFiniteLoss(loss: number, step: number): void {
  if (!Number.isFinite(loss)) throw new DivergenceError(step, `loss is ${loss}`);
}

/**
 * Throws when any parameter holds NaN/Inf. One scalar read in the normal case (the total sum of squares); only
 * when it is non-finite are the parameters checked one by one to name the first bad one.
 */
export async function assertFiniteParameters(params: readonly ParameterEntry[], step: number): Promise<void> {
  if (params.length === 0) return;
  const total = scope(() => squaredNorm(params.map((p) => p.tensor)));
  const value = await total.item();
  total.dispose();
  if (Number.isFinite(value)) return;
  for (const p of params) {
    const s = scope(() => squaredNorm([p.tensor]));
    const v = await s.item();
    s.dispose();
    if (!Number.isFinite(v)) throw new DivergenceError(step, `parameter "${p.path}" contains NaN or Inf`);
  }
  throw new DivergenceError(step, `the parameters' sum of squares overflowed to ${value}`);
}
