/**
 * Parameter blocks of the normalisation family: batch norm and its gradient, PReLU and its gradient, the fused
 * channel affine + PReLU, L2 normalisation, layer normalisation and its gradient, and the per-channel sums they are
 * built on (wasm-simd/norm.c, `shaders/batch_norm*.wgsl`, `prelu*.wgsl`, `channel_affine_prelu.wgsl`,
 * `l2_normalize.wgsl`, `layer_norm*.wgsl`).
 * @module
 */
import { paramBlock } from "../params.ts";

/**
 * wasm `channel_sums`: per-channel chunk partials over `rows` rows of a (mode 0), (a − shift)² (1),
 * a · (b − shift) (2), or both a and a · (b − shift) in one pass (3; partials [2][chunks][c]).
 */
export const CHANNEL_SUMS_KERNEL = paramBlock("ChannelSumsParams", "Parameters of the wasm channel_sums kernel.", [
  "c",
], {
  a: "ptr",
  b: "ptr",
  shift: "ptr",
  mode: "u32",
  rows: "u32",
  c: "u32",
  partials: "ptr",
});

/**
 * wasm `batch_norm` and `batch_norm_prelu`, run in phases: the tensors, `sums` (C floats from channel_sums),
 * `coefficients` (2C floats: scale, offset) and `alpha` (the PReLU slopes of batch_norm_prelu; 0: no PReLU).
 */
export const BATCH_NORM_KERNEL = paramBlock("BatchNormParams", "Parameters of the wasm batch_norm kernel.", ["c"], {
  x: "ptr",
  gamma: "ptr",
  beta: "ptr",
  running_mean: "ptr",
  running_var: "ptr",
  y: "ptr",
  mean: "ptr",
  inv_std: "ptr",
  rows: "u32",
  c: "u32",
  training: "u32",
  phase: "u32",
  momentum: "f64",
  eps: "f64",
  sums: "ptr",
  coefficients: "ptr",
  alpha: "ptr",
});

/** The tensors every normalisation gradient kernel reads and the dx it writes. */
const NORM_GRAD_TENSORS = {
  dy: "ptr",
  x: "ptr",
  gamma: "ptr",
  mean: "ptr",
  inv_std: "ptr",
  dx: "ptr",
} as const;

/**
 * wasm `batch_norm_grad` and `batch_norm_prelu_grad`, run in phases: the tensors, `coefficients` (5C floats: k, k1,
 * k2, then the forward pass's scale and offset) and, for batch_norm_prelu_grad only (`alpha` not 0), beta, dalpha
 * and `partials` ([3][chunks][C] floats: Σdz, Σdz·(x − mean), Σz·dy over z ≤ 0).
 */
export const BATCH_NORM_GRAD_KERNEL = paramBlock(
  "BatchNormGradParams",
  "Parameters of the wasm batch_norm_grad kernel.",
  ["c"],
  {
    ...NORM_GRAD_TENSORS,
    dgamma: "ptr",
    dbeta: "ptr",
    rows: "u32",
    c: "u32",
    training: "u32",
    phase: "u32",
    coefficients: "ptr",
    beta: "ptr",
    alpha: "ptr",
    dalpha: "ptr",
    partials: "ptr",
  },
);

/**
 * wasm `prelu` and `channel_affine_prelu`: y = z > 0 ? z : alpha·z with z = x·scale + shift per channel (prelu: no
 * scale and shift; channel_affine_prelu without alpha: alpha 0, no PReLU).
 */
export const CHANNEL_AFFINE_KERNEL = paramBlock("ChannelAffineParams", "Parameters of the wasm PReLU kernels.", [
  "c",
], {
  x: "ptr",
  scale: "ptr",
  shift: "ptr",
  alpha: "ptr",
  y: "ptr",
  rows: "u32",
  c: "u32",
});

/** wasm `prelu_grad`: dx, and dalpha as chunk partials. */
export const PRELU_GRAD_KERNEL = paramBlock("PreluGradParams", "Parameters of the wasm prelu_grad kernel.", ["c"], {
  dy: "ptr",
  x: "ptr",
  alpha: "ptr",
  dx: "ptr",
  partials: "ptr",
  rows: "u32",
  c: "u32",
});

/** wasm `l2_normalize`: rows of x [rows, d] → y, norm. */
export const L2_NORMALIZE_KERNEL = paramBlock("L2NormalizeParams", "Parameters of the wasm l2_normalize kernel.", [
  "c",
], {
  x: "ptr",
  y: "ptr",
  norm: "ptr",
  rows: "u32",
  d: "u32",
  eps: "f64",
});

/** wasm `layer_norm`: rows of x [rows, d] → y, and the mean and inverse std of each row. */
export const LAYER_NORM_KERNEL = paramBlock("LayerNormParams", "Parameters of the wasm layer_norm kernel.", ["c"], {
  x: "ptr",
  gamma: "ptr",
  beta: "ptr",
  y: "ptr",
  mean: "ptr",
  inv_std: "ptr",
  rows: "u32",
  d: "u32",
  eps: "f64",
});

/** wasm `layer_norm_grad`: dx per row, and dy·x̂ per element (summed over rows into dgamma by the host). */
export const LAYER_NORM_GRAD_KERNEL = paramBlock(
  "LayerNormGradParams",
  "Parameters of the wasm layer_norm_grad kernel.",
  ["c"],
  { ...NORM_GRAD_TENSORS, dy_xhat: "ptr", rows: "u32", d: "u32" },
);

/** `batch_norm.wgsl`, `batch_norm_grad.wgsl`: x [rows, c] (the gradient reads rows, c and training only). */
export const BATCH_NORM_SHADER = paramBlock("BatchNormShaderParams", "Uniform parameters of the batch norm shaders.", [
  "wgsl",
], {
  rows: "u32",
  c: "u32",
  training: "u32",
  momentum: "f32",
  eps: "f32",
});

/**
 * `prelu.wgsl`, `channel_affine_prelu.wgsl`, `prelu_grad.wgsl`: `n` the elements (prelu_grad: the rows), `c` the
 * channels, `prelu` whether channel_affine_prelu applies its alpha.
 */
export const CHANNEL_SHADER = paramBlock("ChannelShaderParams", "Uniform parameters of the per-channel shaders.", [
  "wgsl",
], {
  n: "u32",
  c: "u32",
  prelu: "u32",
});

/** `l2_normalize.wgsl`: rows of x [rows, d]. */
export const L2_NORMALIZE_SHADER = paramBlock(
  "L2NormalizeShaderParams",
  "Uniform parameters of the l2_normalize shader.",
  ["wgsl"],
  { rows: "u32", d: "u32", eps: "f32" },
);

/** `layer_norm.wgsl`, `layer_norm_grad.wgsl`: rows of x [rows, d] (the gradient does not read eps). */
export const LAYER_NORM_SHADER = paramBlock(
  "LayerNormShaderParams",
  "Uniform parameters of the layer norm shaders.",
  ["wgsl"],
  { rows: "u32", d: "u32", eps: "f32" },
);
