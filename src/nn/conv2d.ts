/**
 * `Conv2d` layer: NHWC input, HWIO weight [K, K, in/groups, out], optional bias (no weight decay on it).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { add, conv2d } from "../ops/mod.ts";
import { type InitScheme, initTensor } from "./init.ts";
import { Layer, type ModuleContext } from "./module.ts";

/** Options of {@link Conv2d}. */
export interface Conv2dOptions {
  /** input channels */
  inChannels: number;
  /** output channels */
  outChannels: number;
  /** square kernel size, or [KH, KW] */
  kernel: number | [number, number];
  /** stride (default 1) */
  stride?: number;
  /** symmetric zero padding, or [padH, padW] (default 0) */
  padding?: number | [number, number];
  /** channel groups (default 1; = channels for depthwise) */
  groups?: number;
  /** learnable bias (default false: every face backbone conv is bias-free) */
  bias?: boolean;
  /** weight init (default PyTorch's) */
  init?: InitScheme;
  /** bias init (default PyTorch's) */
  biasInit?: InitScheme;
}

/** 2-D convolution layer. */
export class Conv2d extends Layer {
  /** HWIO weight */
  readonly weight: Tensor;
  /** bias [out], when enabled */
  readonly bias: Tensor | null;
  /** the layer's geometry */
  readonly options: Readonly<Conv2dOptions>;

  /** Creates and initialises the layer. */
  constructor(ctx: ModuleContext, options: Conv2dOptions) {
    super();
    this.options = options;
    const [kh, kw] = typeof options.kernel === "number" ? [options.kernel, options.kernel] : options.kernel;
    const groups = options.groups ?? 1;
    const fans = { fanIn: (options.inChannels / groups) * kh * kw, fanOut: options.outChannels * kh * kw };
    const init = options.init ?? { kind: "torchDefault" };
    const shape = [kh, kw, options.inChannels / groups, options.outChannels];
    this.weight = this.addParameter("weight", initTensor(ctx, shape, init, fans));
    const biasInit = options.biasInit ?? { kind: "torchDefault" };
    this.bias = options.bias
      ? this.addParameter("bias", initTensor(ctx, [options.outChannels], biasInit, fans), { decay: false })
      : null;
  }

  /** Convolves `x` [N, H, W, in], adding the bias when the layer has one. */
  forward(x: Tensor): Tensor {
    const y = this.convolve(x);
    return this.bias ? add(y, this.bias) : y;
  }

  /**
   * The convolution alone, without the bias (which an eval-mode epilogue folds into its shift). In eval mode the
   * weight is marked as reused, so a backend may keep its preparation of it across batches and pick the algorithm
   * for that (the same for every batch size).
   */
  convolve(x: Tensor): Tensor {
    const { stride, padding, groups } = this.options;
    return conv2d(x, this.weight, { stride, padding, groups, filterReused: !this.training });
  }
}
