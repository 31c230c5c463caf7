/**
 * `Sequential`: layers applied in order, registered under their index ("0", "1", …) as in PyTorch.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { Layer } from "./module.ts";

/** A chain of layers. */
export class Sequential extends Layer {
  /** the layers, in order */
  readonly layers: readonly Layer[];

  /** Registers `layers` as children "0", "1", …. */
  constructor(layers: readonly Layer[]) {
    super();
    this.layers = layers.map((l, i) => this.addChild(String(i), l));
  }

  /** Applies every layer in turn. */
  forward(x: Tensor): Tensor {
    return this.layers.reduce((y, layer) => layer.forward(y), x);
  }
}
