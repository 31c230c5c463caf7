/**
 * Parameter blocks of the training kernels: fill, dropout (counter-based Threefry-2x32 mask) and the SGD update
 * (wasm-simd/training.c, `shaders/fill.wgsl`, `dropout.wgsl`, `sgd_update.wgsl`).
 * @module
 */
import { paramBlock } from "../params.ts";

/** wasm `fill`: y[0:n] = the 32-bit pattern `bits` (f32 or i32). */
export const FILL_KERNEL = paramBlock("FillParams", "Parameters of the wasm fill kernel.", ["c"], {
  y: "iptr",
  n: "u32",
  bits: "u32",
});

/**
 * The dropout mask: element i keeps when the top 24 bits of Threefry-2x32(key, offset + i) reach `threshold`;
 * kept elements are scaled by `scale` = 1 / (1 − p).
 */
const DROPOUT_FIELDS = {
  n: "u32",
  key0: "u32",
  key1: "u32",
  offset_lo: "u32",
  offset_hi: "u32",
  threshold: "u32",
  scale: "f32",
} as const;

/** wasm `dropout`: x → y, mask. */
export const DROPOUT_KERNEL = paramBlock("DropoutParams", "Parameters of the wasm dropout kernel.", ["c"], {
  x: "ptr",
  y: "ptr",
  mask: "ptr",
  ...DROPOUT_FIELDS,
});

/** wasm `sgd_update`: param, velocity updated in place from grad (PyTorch SGD with momentum, weight decay). */
export const SGD_KERNEL = paramBlock("SgdParams", "Parameters of the wasm sgd_update kernel.", ["c"], {
  param: "ptr",
  grad: "ptr",
  velocity: "ptr",
  n: "u32",
  lr: "f64",
  momentum: "f64",
  weight_decay: "f64",
  nesterov: "u32",
});

/**
 * wasm `adamw_update`: param and both moments updated in place from grad, in double precision, with the scalars of
 * `adamwScalars` (src/core/kernels.ts).
 */
export const ADAMW_KERNEL = paramBlock("AdamwParams", "Parameters of the wasm adamw_update kernel.", ["c"], {
  param: "ptr",
  grad: "ptr",
  exp_avg: "ptr",
  exp_avg_sq: "ptr",
  n: "u32",
  decay_factor: "f64",
  beta1: "f64",
  beta2: "f64",
  eps: "f64",
  step_size: "f64",
  bias_correction2_sqrt: "f64",
});

/** `fill.wgsl`: y[0:n] = bits. */
export const FILL_SHADER = paramBlock("FillShaderParams", "Uniform parameters of the fill shader.", ["wgsl"], {
  n: "u32",
  bits: "u32",
});

/** `dropout.wgsl`. */
export const DROPOUT_SHADER = paramBlock(
  "DropoutShaderParams",
  "Uniform parameters of the dropout shader.",
  ["wgsl"],
  DROPOUT_FIELDS,
);

/** `sgd_update.wgsl`. */
export const SGD_SHADER = paramBlock("SgdShaderParams", "Uniform parameters of the sgd_update shader.", ["wgsl"], {
  n: "u32",
  nesterov: "u32",
  lr: "f32",
  momentum: "f32",
  weight_decay: "f32",
});

/** `adamw_update.wgsl`: the scalars of `adamwScalars`, rounded to f32. */
export const ADAMW_SHADER = paramBlock(
  "AdamwShaderParams",
  "Uniform parameters of the adamw_update shader.",
  ["wgsl"],
  {
    n: "u32",
    decay_factor: "f32",
    beta1: "f32",
    beta2: "f32",
    eps: "f32",
    step_size: "f32",
    bias_correction2_sqrt: "f32",
  },
);
