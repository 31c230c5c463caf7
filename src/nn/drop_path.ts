/**
 * `DropPath` layer: stochastic depth on a residual branch (timm's `DropPath`, used by arcface_torch's ViT blocks,
 * `backbones/vit.py`), active in training mode only, masks from the shared dropout stream (see the `dropPath`
 * composite op), and the linear rate schedule over depth that arcface_torch uses.
 * @module
 */
import type { Rng } from "../core/rng.ts";
import type { Tensor } from "../core/tensor.ts";
import { dropPath } from "../ops/mod.ts";
import { Layer } from "./module.ts";

/**
 * Drop-path rates of `depth` blocks rising linearly from 0 to `maxRate` (arcface_torch: `torch.linspace(0,
 * drop_path_rate, depth)`, so the first block never drops and the last drops at `maxRate`).
 */
export function linearDropPathRates(maxRate: number, depth: number): number[] {
  return Array.from({ length: depth }, (_, i) => depth === 1 ? 0 : maxRate * i / (depth - 1));
}

/** Zeroes whole samples of its input with probability `p` while training (survivors scaled by 1/(1 − p)). */
export class DropPath extends Layer {
  /** drop probability per sample */
  readonly p: number;
  readonly #rng: Rng;

  /** Creates the layer; `rng` is the shared dropout stream (see `dropoutStream`). */
  constructor(p: number, rng: Rng) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`DropPath: p must be in [0, 1), got ${p}`);
    this.p = p;
    this.#rng = rng;
  }

  /** Applies the per-sample mask in training mode; identity in eval mode or when p = 0. */
  forward(x: Tensor): Tensor {
    return this.training && this.p > 0 ? dropPath(x, this.p, this.#rng) : x;
  }
}
