/**
 * Parameter-free layers: activations, flatten and strided sub-sampling, so that blocks can be written as
 * {@link Sequential} chains.
 * @module
 */
import type { Tensor } from "../core/tensor.ts";
import { flatten, maxPool2d, relu } from "../ops/mod.ts";
import { Layer } from "./module.ts";

/** A layer computing a fixed function of its input. */
export class Fn extends Layer {
  readonly #fn: (x: Tensor) => Tensor;

  /** Wraps `fn`. */
  constructor(fn: (x: Tensor) => Tensor) {
    super();
    this.#fn = fn;
  }

  /** Applies the function. */
  forward(x: Tensor): Tensor {
    return this.#fn(x);
  }
}

/** ReLU layer. */
export function reluLayer(): Fn {
  return new Fn(relu);
}

/** Flattens [N, ...] to [N, rest] (NHWC order: h, then w, then c). */
export function flattenLayer(): Fn {
  return new Fn(flatten);
}

/**
 * Max pooling with kernel `kernel`, `stride` and `padding` (PyTorch floor mode). With kernel 1 this is the
 * IR shortcut's strided sub-sampling; with stride 1 and kernel 1 it is the identity and costs nothing.
 */
export function maxPoolLayer(kernel: number, stride: number, padding = 0): Fn {
  if (kernel === 1 && stride === 1) return new Fn((x) => x);
  return new Fn((x) => maxPool2d(x, { kernel, stride, padding }));
}
