/**
 * Parameter initialisation schemes (PyTorch `nn.init` semantics), driven by the seeded "init" stream.
 * Fans follow PyTorch: for a conv weight [O, I/groups, KH, KW], fanIn = I/groups·KH·KW and fanOut = O·KH·KW.
 * @module
 */
import type { Rng } from "../core/rng.ts";
import type { Tensor } from "../core/tensor.ts";
import { tensor, zeros } from "../ops/mod.ts";
import type { ModuleContext } from "./module.ts";

/** How to fill a parameter. */
export type InitScheme =
  /** U(−a, a), a = √(6 / (fanIn + fanOut)) (`xavier_uniform_`) */
  | { kind: "xavierUniform" }
  /** N(0, 2 / fanOut) (`kaiming_normal_(mode="fan_out", nonlinearity="relu")`) */
  | { kind: "kaimingNormalFanOut" }
  /** N(0, std²) */
  | { kind: "normal"; std: number }
  /** U(−1/√fanIn, 1/√fanIn): PyTorch's default for Conv/Linear weights and biases */
  | { kind: "torchDefault" }
  /** every element = value */
  | { kind: "constant"; value: number }
  /** U(low, high) (`uniform_(low, high)`) */
  | { kind: "uniform"; low: number; high: number };

/** Fan-in and fan-out of a weight, PyTorch convention. */
export interface Fans {
  /** inputs feeding one output */
  fanIn: number;
  /** outputs fed by one input (PyTorch: out channels × receptive field, groups not divided out) */
  fanOut: number;
}

/** Draws `count` values of `scheme` from `rng`. */
export function initValues(rng: Rng, scheme: InitScheme, count: number, fans: Fans): Float32Array {
  const out = new Float32Array(count);
  switch (scheme.kind) {
    case "constant":
      return out.fill(scheme.value);
    case "xavierUniform": {
      const a = Math.sqrt(6 / (fans.fanIn + fans.fanOut));
      for (let i = 0; i < count; i++) out[i] = rng.uniform(-a, a);
      return out;
    }
    case "torchDefault": {
      const a = 1 / Math.sqrt(fans.fanIn);
      for (let i = 0; i < count; i++) out[i] = rng.uniform(-a, a);
      return out;
    }
    case "kaimingNormalFanOut": {
      const std = Math.sqrt(2 / fans.fanOut);
      for (let i = 0; i < count; i++) out[i] = rng.normal(0, std);
      return out;
    }
    case "normal":
      for (let i = 0; i < count; i++) out[i] = rng.normal(0, scheme.std);
      return out;
    case "uniform":
      for (let i = 0; i < count; i++) out[i] = rng.uniform(scheme.low, scheme.high);
      return out;
  }
}

/**
 * A new f32 tensor of `shape` on the context's backend, filled by `scheme` (zeros in a structure-only
 * context, see {@link ModuleContext.initialize}; constants are always exact).
 */
export function initTensor(ctx: ModuleContext, shape: readonly number[], scheme: InitScheme, fans: Fans): Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  if (ctx.initialize === false && scheme.kind !== "constant") return zeros(ctx.backend, shape);
  return tensor(ctx.backend, initValues(ctx.rng, scheme, count, fans), shape);
}
