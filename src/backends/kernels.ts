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

/** Attributes of every kernel, keyed by op name. The keys of this interface are the op-name union. */
export interface KernelAttrs {
  // unary elementwise
  relu: NoAttrs;
  relu6: NoAttrs;
  sigmoid: NoAttrs;
  tanh: NoAttrs;
  swish: NoAttrs;
  hard_swish: NoAttrs;
  hard_sigmoid: NoAttrs;
  neg: NoAttrs;
  exp: NoAttrs;
  log: NoAttrs;
  sqrt: NoAttrs;
  abs: NoAttrs;
  cos: NoAttrs;
  sin: NoAttrs;
  acos: NoAttrs;
  /** y = x ** exponent */
  pow: { exponent: number };
  /** y = min(max(x, min), max) */
  clamp: { min: number; max: number };
  /** y = scale * x + shift */
  affine: { scale: number; shift: number };
  // binary elementwise with NumPy broadcasting
  add: NoAttrs;
  sub: NoAttrs;
  mul: NoAttrs;
  div: NoAttrs;
  maximum: NoAttrs;
  minimum: NoAttrs;
  /** 1 where a > b, else 0 (f32) */
  greater: NoAttrs;
  /** 1 where a == b, else 0 (f32) */
  equal: NoAttrs;
  /** cond != 0 ? a : b, all three broadcast */
  where: NoAttrs;
  // reductions and broadcasting
  /** sum over `axes` (sorted, unique); output holds the kept axes in order */
  reduce_sum: { axes: number[] };
  /** max over `axes` */
  reduce_max: { axes: number[] };
  /** right-aligned NumPy broadcast of the input to `shape` */
  broadcast_to: { shape: number[] };
  // linear algebra and convolution
  /** C = op(A) · op(B) for 2-D operands */
  matmul: { transposeA: boolean; transposeB: boolean };
  /** x [N,H,W,C] * w [KH,KW,C/groups,O] → [N,OH,OW,O] */
  conv2d: Conv2dAttrs;
  /** dy [N,OH,OW,O], w → dx of shape `inputShape` */
  conv2d_grad_input: Conv2dAttrs & { inputShape: number[] };
  /** x, dy → dw of shape `filterShape` */
  conv2d_grad_weight: Conv2dAttrs & { filterShape: number[] };
  // normalisation and activations with parameters
  /**
   * x [..., C], gamma [C], beta [C], runningMean [C], runningVar [C] → y, mean [C], invStd [C].
   * Training: batch statistics, and running stats updated in place (PyTorch momentum, unbiased variance).
   * Inference: running statistics.
   */
  batch_norm: { training: boolean; momentum: number; eps: number };
  /** dy, x, gamma, mean, invStd → dx, dgamma, dbeta */
  batch_norm_grad: { training: boolean };
  /** x [..., C], alpha [C] → x > 0 ? x : alpha·x */
  prelu: NoAttrs;
  /** dy, x, alpha → dx, dalpha */
  prelu_grad: NoAttrs;
  /**
   * x [..., C], scale [C], shift [C], optional alpha [C] → z = x·scale + shift per channel; with alpha,
   * z > 0 ? z : alpha·z (the fused conv-bias / inference batch norm / PReLU epilogue)
   */
  channel_affine_prelu: NoAttrs;
  // pooling
  /** x [N,H,W,C] → y, argmax (i32, flat h·W + w index into the input plane) */
  max_pool2d: Pool2dAttrs;
  /** dy, argmax → dx of shape `inputShape` (each dy added to its argmax, in window order) */
  max_pool2d_grad: Pool2dAttrs & { inputShape: number[] };
  avg_pool2d: AvgPool2dAttrs;
  /** dy → dx of shape `inputShape` */
  avg_pool2d_grad: AvgPool2dAttrs & { inputShape: number[] };
  /** x [N,H,W,C] → [N,C] */
  global_avg_pool: NoAttrs;
  // softmax family (last axis)
  softmax: NoAttrs;
  log_softmax: NoAttrs;
  /** logits [N,C], labels i32 [N] → loss [N], probs [N,C]; target = (1−s)·onehot + s/C */
  softmax_cross_entropy: { smoothing: number };
  /** dloss [N], probs [N,C], labels [N] → dlogits [N,C] */
  softmax_cross_entropy_grad: { smoothing: number };
  /** x [N,D] → y = x / max(‖x‖, eps), norm [N] = max(‖x‖, eps) */
  l2_normalize: { eps: number };
  // data movement
  /** inputs joined along `axis` */
  concat: { axis: number };
  /** window of shape `size` starting at `begin` */
  slice: { begin: number[]; size: number[] };
  /** zero padding: `before[i]` zeros before and `after[i]` after axis i */
  pad: { before: number[]; after: number[] };
  /** copy into `shape` (same element count) */
  reshape: { shape: number[] };
  /** output axis i is input axis perm[i] */
  transpose: { perm: number[] };
  /** NHWC channel shuffle (ShuffleNet): output channel k·groups + g ← input channel g·(C/groups) + k */
  channel_shuffle: { groups: number };
  /**
   * x → y, mask. Element i keeps when Threefry(key, offset + i) ≥ p; mask is 1/(1−p) or 0.
   * key = [key0, key1] names the random stream.
   */
  dropout: { p: number; key0: number; key1: number; offset: number };
  // indexing
  /** x [N,...], idx i32 [M] → x[idx] [M,...] */
  gather_rows: NoAttrs;
  /** src [M,...], idx i32 [M] → out [rows,...] with out[idx[m]] += src[m] (summed in m order) */
  scatter_add_rows: { rows: number };
  /** x [N,C], idx i32 [N] → x[n, idx[n]] [N] */
  gather_row_elements: NoAttrs;
  /** v [N], idx i32 [N] → out [N,columns], zero except out[n, idx[n]] = v[n] */
  scatter_row_elements: { columns: number };
  /** idx i32 [N] → one-hot f32 [N,depth]; out-of-range indices give a zero row */
  one_hot: { depth: number };
  // creation and optimisation
  /** a new tensor of `shape` and `dtype` with every element = value */
  fill: { value: number; shape: number[]; dtype: DType };
  /**
   * In place on (param, grad, velocity), PyTorch SGD semantics:
   * g = grad + wd·p; v = momentum·v + g; step = nesterov ? g + momentum·v : v; p −= lr·step.
   */
  sgd_update: { lr: number; momentum: number; nesterov: boolean; weightDecay: number };
}

/** The name of every op that has a kernel. */
export type OpName = keyof KernelAttrs;

/** Ops whose kernel maps one f32 tensor to one f32 tensor of the same shape. */
export type UnaryOpName =
  | "relu"
  | "relu6"
  | "sigmoid"
  | "tanh"
  | "swish"
  | "hard_swish"
  | "hard_sigmoid"
  | "neg"
  | "exp"
  | "log"
  | "sqrt"
  | "abs"
  | "cos"
  | "sin"
  | "acos"
  | "pow"
  | "clamp"
  | "affine";

/** Ops whose kernel combines two broadcast tensors element by element. */
export type BinaryOpName = "add" | "sub" | "mul" | "div" | "maximum" | "minimum" | "greater" | "equal";

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
}

/** One kernel: reads `inputs`, writes the preallocated `outputs`. */
export type Kernel<A, S = unknown> = (
  inputs: readonly TensorView<S>[],
  outputs: readonly TensorView<S>[],
  attrs: A,
) => void;

/** A complete kernel table: one kernel for every op name. */
export type KernelTable<S = unknown> = { [K in OpName]: Kernel<KernelAttrs[K], S> };

// A record over the union: `deno check` fails here when an op is added to KernelAttrs and not listed.
const OP_SET: Record<OpName, true> = {
  relu: true,
  relu6: true,
  sigmoid: true,
  tanh: true,
  swish: true,
  hard_swish: true,
  hard_sigmoid: true,
  neg: true,
  exp: true,
  log: true,
  sqrt: true,
  abs: true,
  cos: true,
  sin: true,
  acos: true,
  pow: true,
  clamp: true,
  affine: true,
  add: true,
  sub: true,
  mul: true,
  div: true,
  maximum: true,
  minimum: true,
  greater: true,
  equal: true,
  where: true,
  reduce_sum: true,
  reduce_max: true,
  broadcast_to: true,
  matmul: true,
  conv2d: true,
  conv2d_grad_input: true,
  conv2d_grad_weight: true,
  batch_norm: true,
  batch_norm_grad: true,
  prelu: true,
  prelu_grad: true,
  channel_affine_prelu: true,
  max_pool2d: true,
  max_pool2d_grad: true,
  avg_pool2d: true,
  avg_pool2d_grad: true,
  global_avg_pool: true,
  softmax: true,
  log_softmax: true,
  softmax_cross_entropy: true,
  softmax_cross_entropy_grad: true,
  l2_normalize: true,
  concat: true,
  slice: true,
  pad: true,
  reshape: true,
  transpose: true,
  channel_shuffle: true,
  dropout: true,
  gather_rows: true,
  scatter_add_rows: true,
  gather_row_elements: true,
  scatter_row_elements: true,
  one_hot: true,
  fill: true,
  sgd_update: true,
};

/** Every op name, in declaration order, for tests and tooling that must see the whole set. */
export const OP_NAMES: readonly OpName[] = Object.keys(OP_SET) as OpName[];
