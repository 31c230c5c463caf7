/**
 * `Linear` layer: y = x · Wᵀ + b with W [out, in] (PyTorch layout); the bias takes no weight decay.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { linear } from "../ops/mod.ts";
import { type InitScheme, initTensor } from "./init.ts";
import { Layer, type ModuleContext } from "./module.ts";

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** input features */
  inFeatures: number;
  /** output features */
  outFeatures: number;
  /** learnable bias (default true) */
  bias?: boolean;
  /** weight init (default PyTorch's) */
  init?: InitScheme;
  /** bias init (default PyTorch's, U(±1/√in)) */
  biasInit?: InitScheme;
}

/** Fully connected layer. */
export class Linear extends Layer {
  /** weight [out, in] */
  readonly weight: Tensor;
  /** bias [out], when enabled */
  readonly bias: Tensor | null;

  /** Creates and initialises the layer. */
  constructor(ctx: ModuleContext, options: LinearOptions) {
    super();
    const fans = { fanIn: options.inFeatures, fanOut: options.outFeatures };
    const shape = [options.outFeatures, options.inFeatures];
    this.weight = this.addParameter("weight", initTensor(ctx, shape, options.init ?? { kind: "torchDefault" }, fans));
    this.bias = (options.bias ?? true)
      ? this.addParameter(
        "bias",
        initTensor(ctx, [options.outFeatures], options.biasInit ?? { kind: "torchDefault" }, fans),
        { decay: false },
      )
      : null;
  }

  /** Maps `x` [N, in] to [N, out]. */
  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias ?? undefined);
  }
}
