/**
 * Reference kernels for constants, dropout masks and the SGD and AdamW updates.
 * @module
 */
import { adamwScalars, type KernelAttrs } from "../../core/kernels.ts";
import { threefry2x32, uint32ToUnit } from "../../core/rng.ts";
import { arr, type RefView } from "./storage.ts";

/** Constant fill. */
export function fillKernel(_inputs: readonly RefView[], outputs: readonly RefView[], a: KernelAttrs["fill"]) {
  arr(outputs[0]).fill(a.value);
}

/** Inverted dropout with a Threefry mask; the keep scale is rounded to f32 as on every backend. */
export function dropoutKernel(inputs: readonly RefView[], outputs: readonly RefView[], a: KernelAttrs["dropout"]) {
  const x = arr(inputs[0]);
  const [y, mask] = outputs.map(arr);
  const keepScale = Math.fround(1 / (1 - a.p));
  for (let i = 0; i < x.length; i++) {
    const block = a.offset + i;
    const [bits] = threefry2x32(a.key0, a.key1, block >>> 0, Math.floor(block / 4294967296) >>> 0);
    const m = uint32ToUnit(bits) >= a.p ? keepScale : 0;
    mask[i] = m;
    y[i] = x[i] * m;
  }
}

/** In-place SGD with momentum, weight decay and optional Nesterov (PyTorch semantics). */
export function sgdUpdateKernel(
  inputs: readonly RefView[],
  _outputs: readonly RefView[],
  a: KernelAttrs["sgd_update"],
) {
  const [p, grad, v] = inputs.map(arr);
  for (let i = 0; i < p.length; i++) {
    const g = grad[i] + a.weightDecay * p[i];
    v[i] = a.momentum * v[i] + g;
    const step = a.nesterov ? g + a.momentum * v[i] : v[i];
    p[i] = p[i] - a.lr * step;
  }
}

/**
 * In-place AdamW (PyTorch semantics) in double precision, each moment rounded to f32 when stored and read back as
 * stored, in the order the wasm kernel uses.
 */
export function adamwUpdateKernel(
  inputs: readonly RefView[],
  _outputs: readonly RefView[],
  a: KernelAttrs["adamw_update"],
) {
  const [p, grad, m, v] = inputs.map(arr);
  const { decay_factor, beta1, beta2, eps, step_size, bias_correction2_sqrt } = adamwScalars(a);
  for (let i = 0; i < p.length; i++) {
    const g = grad[i];
    const decayed = p[i] * decay_factor;
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    const denom = Math.sqrt(v[i]) / bias_correction2_sqrt + eps;
    p[i] = decayed - step_size * m[i] / denom;
  }
}
