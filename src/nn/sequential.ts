/**
 * `Sequential`: layers applied in order, registered under their index ("0", "1", …) or given names, as in PyTorch.
 * In eval mode, each BatchNorm → PReLU pair (and the bias of a Conv2d just before it) runs as one fused pass (see
 * epilogue.ts).
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { type ChainStep, fuseEpilogues } from "./epilogue.ts";
import { Layer } from "./module.ts";

/** A layer of a {@link Sequential}, registered under its index, or a `[name, layer]` pair under that name. */
export type SequentialEntry = Layer | readonly [string, Layer];

/** A chain of layers. */
export class Sequential extends Layer {
  /** the layers, in order */
  readonly layers: readonly Layer[];
  readonly #steps: readonly ChainStep[];

  /** Registers `entries` as children "0", "1", …, or under the names given with them (as a PyTorch OrderedDict). */
  constructor(entries: readonly SequentialEntry[]) {
    super();
    this.layers = entries.map((e, i) => e instanceof Layer ? this.addChild(String(i), e) : this.addChild(e[0], e[1]));
    this.#steps = fuseEpilogues(this.layers);
  }

  /** Applies every layer in turn (fused epilogues as one step). */
  forward(x: Tensor): Tensor {
    return this.#steps.reduce((y, step) => step.forward(y), x);
  }
}
