/**
 * `Dropout` layer: inverted dropout, active in training mode only, masks drawn from the model's "dropout" stream
 * (reproducible on every backend, see the `dropout` op).
 * @module
 */
import { Rng } from "../core/rng.ts";
import type { Tensor } from "../core/tensor.ts";
import { dropout } from "../ops/mod.ts";
import { Layer, type ModuleContext } from "./module.ts";

/**
 * The context's dropout stream, shared by every Dropout layer built with it: `ctx.dropoutRng`, created on first
 * use as stream "dropout" of the init seed (so two layers never draw the same mask).
 */
export function dropoutStream(ctx: ModuleContext): Rng {
  ctx.dropoutRng ??= new Rng(ctx.rng.seed, "dropout");
  return ctx.dropoutRng;
}

/** Drops activations with probability `p` while training; identity in eval mode or when p = 0. */
export class Dropout extends Layer {
  /** drop probability */
  readonly p: number;
  readonly #rng: Rng;

  /** Creates the layer; `rng` is the shared dropout stream (see {@link dropoutStream}). */
  constructor(p: number, rng: Rng) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
    this.p = p;
    this.#rng = rng;
  }

  /** Applies the mask in training mode. */
  forward(x: Tensor): Tensor {
    return this.training && this.p > 0 ? dropout(x, this.p, this.#rng) : x;
  }
}
