/**
 * `Dropout` layer: inverted dropout, active in training mode only, masks drawn from the model's "dropout" stream
 * (reproducible on every backend, see the `dropout` op); per element, or per sample as drop-path (stochastic depth on
 * a residual branch: timm's `DropPath` in arcface_torch's ViT blocks, `backbones/vit.py`), with the linear rate schedule
 * over depth that arcface_torch uses.
 * @module
 */
import { Rng } from "../core/rng.ts";
import type { Tensor } from "../core/tensor.ts";
import { dropout, dropPath } from "../ops/mod.ts";
import { Layer, type ModuleContext } from "./module.ts";

/**
 * The context's dropout stream, shared by every Dropout layer built with it: `ctx.dropoutRng`, created on first
 * use as stream "dropout" of the init seed (so two layers never draw the same mask).
 */
export function dropoutStream(ctx: ModuleContext): Rng {
  ctx.dropoutRng ??= new Rng(ctx.rng.seed, "dropout");
  return ctx.dropoutRng;
}

/**
 * Drop-path rates of `depth` blocks rising linearly from 0 to `maxRate` (arcface_torch: `torch.linspace(0,
 * drop_path_rate, depth)`, so the first block never drops and the last drops at `maxRate`).
 */
export function linearDropPathRates(maxRate: number, depth: number): number[] {
  return Array.from({ length: depth }, (_, i) => depth === 1 ? 0 : maxRate * i / (depth - 1));
}

/**
 * Drops activations with probability `p` while training, each element (`per` "element", the default) or each
 * sample's whole slice (`per` "sample": drop-path); identity in eval mode or when p = 0.
 */
export class Dropout extends Layer {
  /** drop probability */
  readonly p: number;
  /** what one mask value covers */
  readonly per: "element" | "sample";
  readonly #rng: Rng;

  /** Creates the layer; `rng` is the shared dropout stream (see {@link dropoutStream}). */
  constructor(p: number, rng: Rng, per: "element" | "sample" = "element") {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
    this.p = p;
    this.per = per;
    this.#rng = rng;
  }

  /** Applies the mask in training mode. */
  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    return this.per === "sample" ? dropPath(x, this.p, this.#rng) : dropout(x, this.p, this.#rng);
  }
}
