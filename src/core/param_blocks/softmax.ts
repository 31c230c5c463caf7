/**
 * Parameter blocks of the softmax family (wasm-simd/softmax.c, `shaders/_softmax_rows.wgsl`,
 * `softmax_cross_entropy*.wgsl`): rows of `len` / C values along the last axis.
 * @module
 */
import { paramBlock } from "../params.ts";

/** wasm `softmax`, `log_softmax`: y = op(x) per row. */
export const SOFTMAX_KERNEL = paramBlock("SoftmaxParams", "Parameters of the wasm softmax kernels.", ["c"], {
  x: "ptr",
  y: "ptr",
  rows: "u32",
  len: "u32",
});

/**
 * wasm `softmax_cross_entropy` (logits, labels → loss, probs) and its gradient (dloss, probs, labels → dlogits),
 * with label smoothing.
 */
export const SOFTMAX_XENT_KERNEL = paramBlock(
  "SoftmaxXentParams",
  "Parameters of the wasm softmax cross-entropy kernels.",
  ["c"],
  {
    logits: "ptr",
    dloss: "ptr",
    labels: "iptr",
    loss: "ptr",
    probs: "ptr",
    dlogits: "ptr",
    n: "u32",
    c: "u32",
    smoothing: "f64",
  },
);

/** `_softmax_rows.wgsl`: rows of `len` values. */
export const SOFTMAX_SHADER = paramBlock("SoftmaxShaderParams", "Uniform parameters of the softmax shaders.", [
  "wgsl",
], { rows: "u32", len: "u32" });

/** `softmax_cross_entropy.wgsl` and its gradient: logits [n, c], label smoothing. */
export const SOFTMAX_XENT_SHADER = paramBlock(
  "SoftmaxXentShaderParams",
  "Uniform parameters of the softmax cross-entropy shaders.",
  ["wgsl"],
  { n: "u32", c: "u32", smoothing: "f32" },
);
