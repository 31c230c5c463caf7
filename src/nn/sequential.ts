/**
 * `Sequential`: layers applied in order, registered under their index ("0", "1", …) as in PyTorch. In eval mode,
 * each BatchNorm → PReLU pair (and the bias of a Conv2d just before it) runs as one fused pass (see epilogue.ts).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { type ChainStep, fuseEpilogues } from "./epilogue.ts";
import { Layer } from "./module.ts";

/** A chain of layers. */
export class Sequential extends Layer {
  /** the layers, in order */
  readonly layers: readonly Layer[];
  readonly #steps: readonly ChainStep[];

  /** Registers `layers` as children "0", "1", …. */
  constructor(layers: readonly Layer[]) {
    super();
    this.layers = layers.map((l, i) => this.addChild(String(i), l));
    this.#steps = fuseEpilogues(this.layers);
  }

  /** Applies every layer in turn (fused epilogues as one step). */
  forward(x: Tensor): Tensor {
    return this.#steps.reduce((y, step) => step.forward(y), x);
  }
}
