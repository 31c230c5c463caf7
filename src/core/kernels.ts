/**
 * The kernel contract: every op that a backend must implement, with the attributes its kernel receives.
 *
 * A backend's kernel table is the mapped type {@link KernelTable} over {@link OpName}, so a backend that lacks
 * a kernel fails `deno check`. Inputs and outputs reach a kernel as {@link TensorView}s; outputs are allocated
 * by the op layer before the call, so kernels only compute. Layout is NHWC for activations and HWIO for conv
 * weights; reductions that "keep channels" treat the last axis as the channel axis.
 * @module
 */

/** Element type of a tensor: float32 for values, int32 for labels and indices. */
export type DType = "f32" | "i32";

/** A kernel attribute record with no fields. */
export type NoAttrs = Record<string, never>;

/** 2-D convolution geometry. Padding is symmetric per spatial axis, as in PyTorch. */
export interface Conv2dAttrs {
  /** [strideH, strideW] */
  strides: [number, number];
  /** [padH, padW], added on both sides */
  padding: [number, number];
  /** [dilationH, dilationW] */
  dilations: [number, number];
  /** channel groups; groups === inChannels === outChannels is depthwise */
  groups: number;
  /**
   * The caller passes this filter, unchanged, to many calls (an eval-mode layer): a backend may choose an algorithm
   * whose filter preparation pays off only when kept between calls (the wasm backend: Winograd on calls of any
   * batch). The result is fixed for given attributes; it may differ in the last bits from a call without the flag.
   */
  filterReused?: boolean;
}

/** 2-D pooling window. Output size follows PyTorch, including its ceil-mode rule. */
export interface Pool2dAttrs {
  /** [kernelH, kernelW] */
  kernel: [number, number];
  /** [strideH, strideW] */
  strides: [number, number];
  /** [padH, padW], added on both sides */
  padding: [number, number];
  /** round the output size up instead of down */
  ceilMode: boolean;
}

/** Average-pooling window: PyTorch semantics, padding counted in the divisor when `countIncludePad`. */
export interface AvgPool2dAttrs extends Pool2dAttrs {
  /** include zero padding in the divisor (PyTorch default true) */
  countIncludePad: boolean;
}

/** Attributes of the `adamw_update` kernel. */
export interface AdamwAttrs {
  /** learning rate */
  lr: number;
  /** first-moment decay β1 */
  beta1: number;
  /** second-moment decay β2 */
  beta2: number;
  /** denominator epsilon */
  eps: number;
  /** decoupled weight decay (0: none) */
  weightDecay: number;
  /** 1-based count of updates of this parameter, including this one */
  step: number;
}

/** The scalars an AdamW kernel computes with, named as the fields of its parameter blocks. */
export interface AdamwScalars {
  /** 1 − lr·wd */
  decay_factor: number;
  /** β1 */
  beta1: number;
  /** β2 */
  beta2: number;
  /** eps */
  eps: number;
  /** lr / (1 − β1^t) */
  step_size: number;
  /** √(1 − β2^t) */
  bias_correction2_sqrt: number;
}

/** The per-call scalars of an AdamW update, derived on the host in double precision so every backend uses them. */
export function adamwScalars(a: AdamwAttrs): AdamwScalars {
  return {
    decay_factor: 1 - a.lr * a.weightDecay,
    beta1: a.beta1,
    beta2: a.beta2,
    eps: a.eps,
    step_size: a.lr / (1 - a.beta1 ** a.step),
    bias_correction2_sqrt: Math.sqrt(1 - a.beta2 ** a.step),
  };
}

/**
 * The kind of an op's kernel and, as a type only, the attributes it receives: one entry of {@link KERNELS}. Unary
 * kernels map one f32 tensor to one of the same shape; binary kernels combine two broadcast tensors element by element.
 */
interface KernelSpec<A, K extends "unary" | "binary" | "other"> {
  /** the kind, for the op-name unions below */
  readonly kind: K;
  /** never set: carries the attribute type */
  readonly attrs?: A;
}

const unary = <A = NoAttrs>(): KernelSpec<A, "unary"> => ({ kind: "unary" });
const binary = (): KernelSpec<NoAttrs, "binary"> => ({ kind: "binary" });
const kernel = <A = NoAttrs>(): KernelSpec<A, "other"> => ({ kind: "other" });

/**
 * Every op that has a kernel, with the attributes its kernel receives: the one list of op names, from which
 * {@link OpName}, {@link KernelAttrs}, {@link UnaryOpName}, {@link BinaryOpName} and {@link OP_NAMES} are derived.
 */
const KERNELS = {
  // unary elementwise
  relu: unary(),
  relu6: unary(),
  sigmoid: unary(),
  tanh: unary(),
  swish: unary(),
  /** GELU, exact (erf) form as PyTorch's default `nn.GELU()`: x · Φ(x) */
  gelu: unary(),
  /** the standard normal CDF Φ(x) = (1 + erf(x / √2)) / 2 (GELU's gradient uses it) */
  normal_cdf: unary(),
  hard_swish: unary(),
  hard_sigmoid: unary(),
  neg: unary(),
  exp: unary(),
  log: unary(),
  sqrt: unary(),
  abs: unary(),
  cos: unary(),
  sin: unary(),
  acos: unary(),
  /** y = x ** exponent */
  pow: unary<{ exponent: number }>(),
  /** y = min(max(x, min), max) */
  clamp: unary<{ min: number; max: number }>(),
  /** y = scale * x + shift */
  affine: unary<{ scale: number; shift: number }>(),
  // binary elementwise with NumPy broadcasting
  add: binary(),
  sub: binary(),
  mul: binary(),
  div: binary(),
  maximum: binary(),
  minimum: binary(),
  /** 1 where a > b, else 0 (f32) */
  greater: binary(),
  /** 1 where a == b, else 0 (f32) */
  equal: binary(),
  /** cond != 0 ? a : b, all three broadcast */
  where: kernel(),
  // reductions and broadcasting
  /** sum over `axes` (sorted, unique); output holds the kept axes in order */
  reduce_sum: kernel<{ axes: number[] }>(),
  /** max over `axes` */
  reduce_max: kernel<{ axes: number[] }>(),
  /** right-aligned NumPy broadcast of the input to `shape` */
  broadcast_to: kernel<{ shape: number[] }>(),
  // linear algebra and convolution
  /** C = op(A) · op(B) for 2-D operands */
  matmul: kernel<{ transposeA: boolean; transposeB: boolean }>(),
  /** C[b] = op(A[b]) · op(B[b]) for rank-3 operands [batch, rows, cols] (one matmul per batch entry) */
  batched_matmul: kernel<{ transposeA: boolean; transposeB: boolean }>(),
  /** x [N,H,W,C] * w [KH,KW,C/groups,O] → [N,OH,OW,O] */
  conv2d: kernel<Conv2dAttrs>(),
  /** dy [N,OH,OW,O], w → dx of shape `inputShape` */
  conv2d_grad_input: kernel<Conv2dAttrs & { inputShape: number[] }>(),
  /** x, dy → dw of shape `filterShape` */
  conv2d_grad_weight: kernel<Conv2dAttrs & { filterShape: number[] }>(),
  // normalisation and activations with parameters
  /**
   * x [..., C], gamma [C], beta [C], runningMean [C], runningVar [C] → y, mean [C], invStd [C].
   * Training: batch statistics, and running stats updated in place (PyTorch momentum, unbiased variance).
   * Inference: running statistics.
   */
  batch_norm: kernel<{ training: boolean; momentum: number; eps: number }>(),
  /** dy, x, gamma, mean, invStd → dx, dgamma, dbeta */
  batch_norm_grad: kernel<{ training: boolean }>(),
  /**
   * batch_norm, then PReLU: x, gamma, beta, runningMean, runningVar, alpha [C] → y, mean [C], invStd [C], with
   * y = z > 0 ? z : alpha·z for z the batch_norm output; z itself is not kept (the gradient recomputes it).
   */
  batch_norm_prelu: kernel<{ training: boolean; momentum: number; eps: number }>(),
  /**
   * dy, x, gamma, beta, mean, invStd, alpha → dx, dgamma, dbeta, dalpha of batch_norm_prelu: z recomputed from x and
   * the statistics, the PReLU gradient taken at z and passed through batch_norm's
   */
  batch_norm_prelu_grad: kernel<{ training: boolean }>(),
  /**
   * Layer normalisation over the last axis: x [..., D], gamma [D], beta [D] → y (shape of x), mean [R], invStd [R]
   * (R = rows = size / D), with the biased variance: y = (x − mean) · invStd · gamma + beta, invStd = 1 / √(var + eps).
   * Each row is reduced in a fixed order.
   */
  layer_norm: kernel<{ eps: number }>(),
  /** (dy, x, gamma, mean, invStd) → dx, dgamma [D], dbeta [D] of layer_norm */
  layer_norm_grad: kernel(),
  /** x [..., C], alpha [C] → x > 0 ? x : alpha·x */
  prelu: kernel(),
  /** dy, x, alpha → dx, dalpha */
  prelu_grad: kernel(),
  /**
   * x [..., C], scale [C], shift [C], optional alpha [C] → z = x·scale + shift per channel; with alpha,
   * z > 0 ? z : alpha·z (the fused conv-bias / inference batch norm / PReLU epilogue)
   */
  channel_affine_prelu: kernel(),
  // pooling
  /** x [N,H,W,C] → y, argmax (i32, flat h·W + w index into the input plane) */
  max_pool2d: kernel<Pool2dAttrs>(),
  /** dy, argmax → dx of shape `inputShape` (each dy added to its argmax, in window order) */
  max_pool2d_grad: kernel<Pool2dAttrs & { inputShape: number[] }>(),
  avg_pool2d: kernel<AvgPool2dAttrs>(),
  /** dy → dx of shape `inputShape` */
  avg_pool2d_grad: kernel<AvgPool2dAttrs & { inputShape: number[] }>(),
  /** x [N,H,W,C] → [N,C] */
  global_avg_pool: kernel(),
  /** x [N,H,W,C] → [N, H·scale[0], W·scale[1], C]: nearest-neighbour upsampling, each pixel fills a scale block */
  upsample_nearest2d: kernel<{ scale: [number, number] }>(),
  /** dy [N, H·scale[0], W·scale[1], C] → dx [N,H,W,C]: the sum of each scale block (a sum pool, in block order) */
  upsample_nearest2d_grad: kernel<{ scale: [number, number] }>(),
  /**
   * x [N,H,W,C] → [N, size[0], size[1], C]: bilinear resizing with PyTorch's source coordinates (alignCorners:
   * o·(in − 1)/(out − 1); otherwise (o + ½)·in/out − ½, at least 0), each output a weighted sum of its 2×2 taps
   */
  upsample_bilinear2d: kernel<{ size: [number, number]; alignCorners: boolean }>(),
  /** dy [N,OH,OW,C] → dx of shape `inputShape`: each dy spread over its 2×2 taps with the forward weights */
  upsample_bilinear2d_grad: kernel<{ inputShape: number[]; alignCorners: boolean }>(),
  // softmax family (last axis)
  softmax: kernel(),
  log_softmax: kernel(),
  /** logits [N,C], labels i32 [N] → loss [N], probs [N,C]; target = (1−s)·onehot + s/C */
  softmax_cross_entropy: kernel<{ smoothing: number }>(),
  /** dloss [N], probs [N,C], labels [N] → dlogits [N,C] */
  softmax_cross_entropy_grad: kernel<{ smoothing: number }>(),
  /** x [N,D] → y = x / max(‖x‖, eps), norm [N] = max(‖x‖, eps) */
  l2_normalize: kernel<{ eps: number }>(),
  // data movement
  /** inputs joined along `axis` */
  concat: kernel<{ axis: number }>(),
  /** window of shape `size` starting at `begin` */
  slice: kernel<{ begin: number[]; size: number[] }>(),
  /** zero padding: `before[i]` zeros before and `after[i]` after axis i */
  pad: kernel<{ before: number[]; after: number[] }>(),
  /** copy into `shape` (same element count) */
  reshape: kernel<{ shape: number[] }>(),
  /** every element of the input into an output of the same shape and dtype (which may be an existing tensor) */
  copy: kernel(),
  /** output axis i is input axis perm[i] */
  transpose: kernel<{ perm: number[] }>(),
  /** NHWC channel shuffle (ShuffleNet): output channel k·groups + g ← input channel g·(C/groups) + k */
  channel_shuffle: kernel<{ groups: number }>(),
  /**
   * x → y, mask. Element i keeps when Threefry(key, offset + i) ≥ p; mask is 1/(1−p) or 0.
   * key = [key0, key1] names the random stream.
   */
  dropout: kernel<{ p: number; key0: number; key1: number; offset: number }>(),
  // indexing
  /** x [N,...], idx i32 [M] → x[idx] [M,...] */
  gather_rows: kernel(),
  /** src [M,...], idx i32 [M] → out [rows,...] with out[idx[m]] += src[m] (summed in m order) */
  scatter_add_rows: kernel<{ rows: number }>(),
  /** x [N,C], idx i32 [N] → x[n, idx[n]] [N] */
  gather_row_elements: kernel(),
  /** v [N], idx i32 [N] → out [N,columns], zero except out[n, idx[n]] = v[n] */
  scatter_row_elements: kernel<{ columns: number }>(),
  /** idx i32 [N] → one-hot f32 [N,depth]; out-of-range indices give a zero row */
  one_hot: kernel<{ depth: number }>(),
  // creation and optimisation
  /** a new tensor of `shape` and `dtype` with every element = value */
  fill: kernel<{ value: number; shape: number[]; dtype: DType }>(),
  /**
   * In place on (param, grad, velocity), PyTorch SGD semantics:
   * g = grad + wd·p; v = momentum·v + g; step = nesterov ? g + momentum·v : v; p −= lr·step.
   */
  sgd_update: kernel<{ lr: number; momentum: number; nesterov: boolean; weightDecay: number }>(),
  /**
   * In place on (param, grad, expAvg, expAvgSq), PyTorch AdamW semantics at 1-based step t (decoupled weight decay,
   * Loshchilov & Hutter 2019): p ← p·(1 − lr·wd); m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
   * p ← p − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + eps). Scalars as {@link adamwScalars} derives them.
   */
  adamw_update: kernel<AdamwAttrs>(),
};

type Kernels = typeof KERNELS;

/** Attributes of every kernel, keyed by op name. */
export type KernelAttrs = { [K in keyof Kernels]: NonNullable<Kernels[K]["attrs"]> };

/** The name of every op that has a kernel. */
export type OpName = keyof KernelAttrs;

/** Ops whose kernel maps one f32 tensor to one f32 tensor of the same shape. */
export type UnaryOpName = { [K in OpName]: Kernels[K]["kind"] extends "unary" ? K : never }[OpName];

/** The normalisation family (batch, L2 and layer norm, PReLU and their gradients), one kernel module per backend. */
export type NormOpName = Extract<
  OpName,
  | "batch_norm"
  | "batch_norm_grad"
  | "batch_norm_prelu"
  | "batch_norm_prelu_grad"
  | "prelu"
  | "prelu_grad"
  | "channel_affine_prelu"
  | "l2_normalize"
  | "layer_norm"
  | "layer_norm_grad"
>;

/** Ops whose kernel combines two broadcast tensors element by element. */
export type BinaryOpName = { [K in OpName]: Kernels[K]["kind"] extends "binary" ? K : never }[OpName];

/** A tensor as a kernel sees it: storage handle plus metadata. */
export interface TensorView<S = unknown> {
  /** Backend-specific storage handle. */
  readonly storage: S;
  /** Dimensions, outermost first. */
  readonly shape: readonly number[];
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements (product of shape). */
  readonly size: number;
  /**
   * Write count of the tensor shown (`Tensor.version`), so a backend may keep something derived from the values
   * (a packed weight) until the tensor is written; absent for a backend's own temporaries.
   */
  readonly version?: number;
}

/** One kernel: reads `inputs`, writes the preallocated `outputs`. */
export type Kernel<A, S = unknown> = (
  inputs: readonly TensorView<S>[],
  outputs: readonly TensorView<S>[],
  attrs: A,
) => void;

/** A complete kernel table: one kernel for every op name. */
export type KernelTable<S = unknown> = { [K in OpName]: Kernel<KernelAttrs[K], S> };

/** Every op name, in declaration order, for tests and tooling that must see the whole set. */
export const OP_NAMES: readonly OpName[] = Object.keys(KERNELS) as OpName[];
