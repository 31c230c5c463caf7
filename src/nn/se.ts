/**
 * Squeeze-and-excitation block (face.evoLVe `SEModule`): global average pool → 1×1 conv C→C/r (no bias) → ReLU
 * → 1×1 conv C/r→C (no bias) → sigmoid → channel-wise scale of the input. Options give both 1×1 convs a bias (as in
 * Hu et al.'s SENet, used by SE-ResNeXt, and in EfficientNet), set the hidden width directly and replace the ReLU
 * (EfficientNet: swish).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { globalAvgPool, mul, relu, reshape, sigmoid } from "../ops/mod.ts";
import { Conv2d } from "./conv2d.ts";
import type { InitScheme } from "./init.ts";
import { Layer, type ModuleContext } from "./module.ts";

/** Options of {@link SqueezeExcite}. */
export interface SqueezeExciteOptions {
  /** channels of the input */
  channels: number;
  /** channel reduction r (default 16) */
  reduction?: number;
  /** init of both 1×1 convs */
  init?: InitScheme;
  /** hidden width, replacing ⌊channels / reduction⌋ */
  hidden?: number;
  /** biased 1×1 convs (default false) */
  bias?: boolean;
  /** init of the biases (default PyTorch's; FaceX-Zoo's TF-NAS: zeros) */
  biasInit?: InitScheme;
  /** activation between the two convs (default ReLU) */
  activation?: (x: Tensor) => Tensor;
}

/** Channel attention by squeeze-and-excitation. */
export class SqueezeExcite extends Layer {
  readonly #fc1: Conv2d;
  readonly #fc2: Conv2d;
  readonly #activation: (x: Tensor) => Tensor;

  /** Creates the two 1×1 convs (registered as `fc1`, `fc2`). */
  constructor(ctx: ModuleContext, options: SqueezeExciteOptions) {
    super();
    const c = options.channels;
    const hidden = options.hidden ?? Math.floor(c / (options.reduction ?? 16));
    if (hidden < 1) throw new RangeError(`SqueezeExcite: ${c} channels / reduction ${options.reduction} < 1`);
    const convs = { init: options.init, bias: options.bias, biasInit: options.biasInit };
    this.#fc1 = this.addChild(
      "fc1",
      new Conv2d(ctx, { inChannels: c, outChannels: hidden, kernel: 1, ...convs }),
    );
    this.#fc2 = this.addChild(
      "fc2",
      new Conv2d(ctx, { inChannels: hidden, outChannels: c, kernel: 1, ...convs }),
    );
    this.#activation = options.activation ?? relu;
  }

  /** Scales each channel of `x` [N, H, W, C] by its excitation. */
  forward(x: Tensor): Tensor {
    const squeezed = reshape(globalAvgPool(x), [x.shape[0], 1, 1, x.shape[3]]);
    const excitation = sigmoid(this.#fc2.forward(this.#activation(this.#fc1.forward(squeezed))));
    return mul(x, excitation);
  }
}
