/**
 * `PReLU` layer: one slope per channel (last axis), initialised to 0.25 as in PyTorch; no weight decay.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { fill, prelu } from "../ops/mod.ts";
import { Layer, type ModuleContext } from "./module.ts";

/** Parametric ReLU with per-channel slopes. */
export class PReLU extends Layer {
  /** slopes [C] */
  readonly alpha: Tensor;

  /** Creates the layer for `channels` channels. */
  constructor(ctx: ModuleContext, channels: number, init = 0.25) {
    super();
    this.alpha = this.addParameter("weight", fill(ctx.backend, [channels], init), { decay: false });
  }

  /** x > 0 ? x : alpha·x per channel. */
  forward(x: Tensor): Tensor {
    return prelu(x, this.alpha);
  }
}
